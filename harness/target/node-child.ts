// Node children that run one of the project's TypeScript modules (the watchdog, load generators). They
// inherit the compile cache the launcher turned on (NODE_COMPILE_CACHE): once a module has been run, its
// type-stripped, compiled code comes from the cache and Node's type stripper, WebAssembly that costs a
// process about 17 MB of RSS for as long as it lives, is never loaded, in the child nor in the harness.
// (Stripping here and serving the code to the child, as before, kept the stripper in the harness for the
// whole run instead: 18 MB more there, measured with 10,000 idle sessions.)

import { type ChildProcess, spawn, type StdioNull, type StdioPipe } from 'node:child_process';

type Stdio = StdioNull | StdioPipe;

// Spawns `node FLAGS ENTRY ARGS` with `stdio`.
export const spawnNodeChild = (
  entry: string,
  o: {
    flags?: readonly string[];
    args?: readonly string[];
    stdio: [Stdio, Stdio, Stdio];
    detached?: boolean;
  },
): ChildProcess =>
  spawn(process.execPath, [...(o.flags ?? []), entry, ...(o.args ?? [])], {
    stdio: o.stdio,
    detached: o.detached ?? false,
  });
