import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spawnNodeChild } from '../../../harness/target/node-child.ts';

// A small graph: main.ts imports a.ts and, dynamically, b.ts; it prints what it got and whether Node's
// type stripper was loaded.
const graph = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'node-child-'));
  await writeFile(
    join(dir, 'main.ts'),
    `import {\n  a,\n  type A,\n} from './a.ts';\nconst x: A = a;\nconst { b } = await import('./b.ts');\nprocess.stdout.write(JSON.stringify({ x, b, stripper: process.moduleLoadList.some((m) => m.includes('amaro')), argv: process.argv.slice(2) }));\n`,
  );
  await writeFile(join(dir, 'a.ts'), `export type A = number;\nexport const a: A = 1;\n`);
  await writeFile(join(dir, 'b.ts'), `export const b: string = 'two';\n`);
  return join(dir, 'main.ts');
};

const run = async (main: string, cache: string) => {
  const saved = process.env['NODE_COMPILE_CACHE'];
  process.env['NODE_COMPILE_CACHE'] = cache;
  try {
    const child = spawnNodeChild(main, { args: ['--x', 'y'], stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    return { code, out: JSON.parse(out) as Record<string, unknown> };
  } finally {
    if (saved === undefined) delete process.env['NODE_COMPILE_CACHE'];
    else process.env['NODE_COMPILE_CACHE'] = saved;
  }
};

t.test(
  "the child runs the TypeScript graph with its arguments; once cached, without Node's type stripper",
  async (t) => {
    const main = await graph();
    const cache = await mkdtemp(join(tmpdir(), 'node-child-cache-'));
    const first = await run(main, cache);
    t.equal(first.code, 0);
    t.match(first.out, { x: 1, b: 'two', argv: ['--x', 'y'], stripper: true }, 'the first run strips');
    const second = await run(main, cache);
    t.equal(second.code, 0);
    t.match(
      second.out,
      { x: 1, b: 'two', argv: ['--x', 'y'], stripper: false },
      'the second runs from the cache',
    );
  },
);
