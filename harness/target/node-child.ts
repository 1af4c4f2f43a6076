// Node children that run one of the project's TypeScript modules without loading Node's type stripper:
// the harness (which has it loaded anyway) strips the module's import graph once, passes the JavaScript
// on a pipe (fd 3), and the child serves it to its module loader from a load hook. Node's stripper is
// WebAssembly that costs every process that loads it about 26 MB of RSS: a generator process measured
// 102 MB RSS run plainly and 75 MB this way, the watchdog 75 MB and 49 MB. A module the graph walk misses
// (a computed dynamic import) is still loaded, plainly.

import { type ChildProcess, spawn, type StdioNull, type StdioPipe } from 'node:child_process';
import type { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Static imports and re-exports (over several lines too), side-effect imports, literal dynamic imports.
const SPECIFIERS =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

// The child's first code: reads the sources, serves them, imports the entry (its first argument).
const BOOT = `import { closeSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
const sources = JSON.parse(readFileSync(3, 'utf8'));
closeSync(3);
registerHooks({
  load: (url, context, next) =>
    sources[url] === undefined ? next(url, context) : { format: 'module', source: sources[url], shortCircuit: true },
});
await import(process.argv[1]);`;

type Stdio = StdioNull | StdioPipe;
type Strip = (this: void, code: string) => string;
const stripper = (nodeModule as { stripTypeScriptTypes?: Strip }).stripTypeScriptTypes;
const canBoot =
  stripper !== undefined && typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function';

// Strips TypeScript without the one-time warning that the API is experimental (the harness's users have
// nothing to do about it).
const strip = (code: string): string => {
  // Put back as it was, unbound as it was.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const warn = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return stripper!(code);
  } finally {
    process.emitWarning = warn;
  }
};

const graphs = new Map<string, string>();

// The JavaScript of every project module `entry` imports, directly or not, by file URL, as JSON.
export const strippedGraph = (entry: string): string => {
  const cached = graphs.get(entry);
  if (cached !== undefined) return cached;
  const sources: Record<string, string> = {};
  const todo = [pathToFileURL(entry).href];
  while (todo.length > 0) {
    const url = todo.pop()!;
    if (sources[url] !== undefined) continue;
    const js = strip(readFileSync(fileURLToPath(url), 'utf8'));
    sources[url] = js;
    for (const m of js.matchAll(SPECIFIERS)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.') && spec.endsWith('.ts')) todo.push(new URL(spec, url).href);
    }
  }
  const json = JSON.stringify(sources);
  graphs.set(entry, json);
  return json;
};

// Spawns `node FLAGS ENTRY` with `stdio` (its first three), the entry's graph served from fd 3.
export const spawnNodeChild = (
  entry: string,
  o: {
    flags?: readonly string[];
    args?: readonly string[];
    stdio: [Stdio, Stdio, Stdio];
    detached?: boolean;
  },
): ChildProcess => {
  const flags = o.flags ?? [];
  const args = o.args ?? [];
  if (!canBoot)
    return spawn(process.execPath, [...flags, entry, ...args], {
      stdio: o.stdio,
      detached: o.detached ?? false,
    });
  const sources = strippedGraph(entry);
  const child = spawn(
    process.execPath,
    [...flags, '--input-type=module', '--eval', BOOT, pathToFileURL(entry).href, ...args],
    { stdio: [...o.stdio, 'pipe'], detached: o.detached ?? false },
  );
  const pipe = child.stdio[3] as Writable | null;
  // A child that died at once closes its end; its exit says why.
  pipe?.on('error', () => undefined);
  pipe?.end(sources);
  return child;
};
