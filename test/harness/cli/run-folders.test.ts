import { access, mkdtemp, readdir, readlink, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import t from 'tap';
import { claimFolder, folderGroups, pointLatest, runStamp } from '../../../harness/cli/run-folders.ts';
import type { SuiteRun } from '../../../harness/suite/variants.ts';
import { runCli } from '../../helpers/cli.ts';

t.test('a run folder is named for its start time, sorts as text and has no colon', async (t) => {
  t.equal(runStamp(new Date('2026-12-02T15:09:43.351Z')), '2026-12-02T15-09-43Z');
  fc.assert(
    fc.property(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
      fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
      (a, b) => {
        const [x, y] = [runStamp(a), runStamp(b)];
        const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
        return !/[:/\\]/.test(x) && Math.sign(x.localeCompare(y)) === Math.sign(seconds(a) - seconds(b));
      },
    ),
  );
  t.pass('the order of the names is the order of the start times');
});

t.test('each claim is a new folder, even for runs that start in the same second', async (t) => {
  const parent = join(await mkdtemp(join(tmpdir(), 'nettcp-chaos-')), 'smoke');
  const stamp = '2026-12-02T15-09-43Z';
  const claimed = await Promise.all([1, 2, 3].map(() => claimFolder(parent, stamp)));
  t.same(
    [...claimed].sort(),
    [stamp, `${stamp}-2`, `${stamp}-3`].map((n) => join(parent, n)),
  );
});

t.test('latest is replaced by each run, and points at its folder', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const first = await claimFolder(parent, 'a');
  await writeFile(join(first, 'history.ndjson'), '');
  await pointLatest(parent, first);
  t.equal(await readlink(join(parent, 'latest')), 'a', 'a relative link');
  const second = await claimFolder(parent, 'b');
  await pointLatest(parent, second);
  t.equal(await realpath(join(parent, 'latest')), await realpath(second));
});

const run = (name: string, file: string, variant?: string): SuiteRun =>
  ({
    file,
    text: '',
    suite: { name: variant === undefined ? name : `${name}.${variant}` },
    ...(variant === undefined ? {} : { variant: { of: name, name: variant } }),
  }) as unknown as SuiteRun;

t.test("a suite's variants share a folder; every other run has its own", async (t) => {
  const groups = folderGroups([
    run('a', 'a.yaml'),
    run('k', 'k.yaml', 'defect'),
    run('k', 'k.yaml', 'fixed'),
    run('a', 'a.yaml'),
    run('k', 'k.yaml', 'defect'),
    run('k', 'k.yaml', 'fixed'),
  ]);
  t.same(
    groups.map((g) => [g.name, g.runs.map((r) => r.suite.name)]),
    [
      ['a', ['a']],
      ['k', ['k.defect', 'k.fixed']],
      ['a', ['a']],
      ['k', ['k.defect', 'k.fixed']],
    ],
  );
  t.same(
    folderGroups([run('k', 'k.yaml', 'defect'), run('k', 'k.yaml', 'defect')]).map((g) => g.runs.length),
    [1, 1],
    'the same file named twice runs twice',
  );
});

const ECHO = fileURLToPath(new URL('../../fixtures/programs/echo-server.ts', import.meta.url));
const suiteText = (name: string, extra = '') => `name: ${name}
seed: 3
target:
  command: [node, ${JSON.stringify(ECHO)}, "{port}"]
  port: auto
load:
  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 20, duration: 1s }
probe: { interval: 100ms, timeout: 1s }
checks:
  listener.responsive: { maxGap: 2s }
${extra}`;

t.test(
  'without --out each run keeps its folder, latest points at the newest, and compare takes two',
  async (t) => {
    const cwd = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    await writeFile(join(cwd, 'p.yaml'), suiteText('p'));
    await writeFile(
      join(cwd, 'v.yaml'),
      suiteText('v', 'variants:\n  - { name: a, set: {} }\n  - { name: b, set: { seed: 4 } }\n'),
    );
    const first = await runCli(['run', 'p.yaml', 'v.yaml'], { cwd });
    t.equal(first.exitCode, 0, String(first.stdout) + String(first.stderr));
    const second = await runCli(['run', 'p.yaml'], { cwd });
    t.equal(second.exitCode, 0, String(second.stderr));

    const p = join(cwd, 'runs', 'p');
    const runsOfP = (await readdir(p)).filter((n) => n !== 'latest').sort();
    t.equal(runsOfP.length, 2, 'two runs of p, two folders');
    for (const n of runsOfP) t.match(n, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?$/);
    t.equal(await readlink(join(p, 'latest')), runsOfP[1], 'latest is the second run');
    for (const n of runsOfP)
      for (const f of ['history.ndjson', 'report.json', 'junit.xml', 'report.html'])
        await access(join(p, n, f));
    t.match(String(second.stdout), new RegExp(`reports: runs/p/${runsOfP[1]}/report\\.html`));

    const v = join(cwd, 'runs', 'v');
    const [runOfV] = (await readdir(v)).filter((n) => n !== 'latest');
    t.same(
      (await readdir(join(v, runOfV!))).sort(),
      ['v.a', 'v.b', 'v.variants.json'],
      'variants share one folder',
    );
    t.equal(await readlink(join(v, 'latest')), runOfV);

    const compared = await runCli(['compare', `runs/p/${runsOfP[0]}`, 'runs/p/latest', '--json'], { cwd });
    t.not(compared.exitCode, 2, String(compared.stderr));
    t.equal((JSON.parse(String(compared.stdout)) as { comparisons: unknown[] }).comparisons.length, 1);
    const report = await runCli(['report', 'runs/v/latest'], { cwd });
    t.equal(report.exitCode, 0, String(report.stderr));
    t.match(String(report.stdout), /v\.a: met its expectation[\s\S]*v\.b: met its expectation/);
  },
);

t.test('--out DIR writes DIR/SUITE/ as before, and nothing under runs/', async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  await writeFile(join(cwd, 'p.yaml'), suiteText('p'));
  const r = await runCli(['run', 'p.yaml', '--out', 'out'], { cwd });
  t.equal(r.exitCode, 0, String(r.stderr));
  t.same((await readdir(join(cwd, 'out', 'p'))).sort(), [
    'history.ndjson',
    'junit.xml',
    'report.html',
    'report.json',
  ]);
  await t.rejects(access(join(cwd, 'runs')), 'nothing under runs/');
});
