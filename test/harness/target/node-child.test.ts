import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spawnNodeChild, strippedGraph } from '../../../harness/target/node-child.ts';

// A small graph: main.ts imports a.ts (over several lines) and, dynamically, b.ts.
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

t.test(
  "a module's whole graph is stripped: static imports over lines and literal dynamic imports",
  async (t) => {
    const main = await graph();
    const sources = JSON.parse(strippedGraph(main)) as Record<string, string>;
    t.same(
      Object.keys(sources)
        .map((u) => u.split('/').pop())
        .sort(),
      ['a.ts', 'b.ts', 'main.ts'],
    );
    t.notMatch(sources[Object.keys(sources).find((u) => u.endsWith('a.ts'))!], /: A/, 'types are gone');
  },
);

t.test(
  "the child runs the graph from its pipe, with its arguments, without Node's type stripper",
  async (t) => {
    const main = await graph();
    const child = spawnNodeChild(main, { args: ['--x', 'y'], stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    t.equal(code, 0);
    t.match(
      JSON.parse(out),
      { x: 1, b: 'two', argv: ['--x', 'y'], stripper: false },
      "Node's type stripper never loaded",
    );
  },
);
