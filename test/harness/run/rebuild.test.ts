import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildReport } from '../../../reports/json.ts';
import { rebuildRun, RunDirError, runDirs } from '../../../harness/run/rebuild.ts';
import { handMadeRun, writeRunDir } from '../../reports/fixtures.ts';

t.test('a run rebuilt from its history alone reports what the run loop reported', async (t) => {
  for (const defective of [true, false]) {
    const dir = await writeRunDir(defective);
    const { result, suite } = await rebuildRun(dir);
    t.equal(suite.probe.interval, 100);
    const original = buildReport(handMadeRun(defective, dir));
    t.same(buildReport(result), original, defective ? 'defective' : 'fixed');
    t.same(Object.keys(result.faults ?? {}), ['recycle#0'], 'each fault as its kind tells it, judged again');
  }
});

t.test('a history torn mid-line by a killed run renders what it recorded, as interrupted', async (t) => {
  const dir = await writeRunDir(true);
  const file = join(dir, 'history.ndjson');
  const text = await readFile(file, 'utf8');
  // Cut at 4.0s, halfway through an event and before the outcome was written.
  const cut = text.indexOf('{"t":4000');
  await writeFile(file, text.slice(0, cut + 20));
  const { result } = await rebuildRun(dir);
  t.equal(result.outcome, 'interrupted');
  t.equal(result.exitCode, 3);
  t.ok(result.durationMs < 4000 && result.durationMs > 3500, String(result.durationMs));
  t.equal(
    result.verdicts.find((v) => v.check === 'listener.responsive')?.status,
    'fail',
    'the gap is in what was kept',
  );
  t.equal(result.verdicts.find((v) => v.check === 'handles.noLeak')?.status, 'unknown', 'no final reading');
});

t.test('a run recorded as invalid before load keeps no verdicts and its reason', async (t) => {
  const dir = await writeRunDir(false);
  const file = join(dir, 'history.ndjson');
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  const early = lines.filter((l) => JSON.parse(l).t < 300);
  early.push(
    JSON.stringify({
      t: 400,
      kind: 'outcome',
      outcome: 'invalid',
      exitCode: 4,
      invalid: { code: 'RUN_TARGET_NOT_READY', message: 'the target never became ready' },
    }),
  );
  await writeFile(file, `${early.join('\n')}\n`);
  const { result } = await rebuildRun(dir);
  t.equal(result.outcome, 'invalid');
  t.equal(result.exitCode, 4);
  t.same(result.invalid, { code: 'RUN_TARGET_NOT_READY', message: 'the target never became ready' });
  t.same(result.verdicts, []);
});

t.test('folders that are not runs, and damaged histories, are named with what is wrong', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'nettcp-chaos-report-'));
  await t.rejects(
    runDirs(empty),
    new RunDirError(
      `${empty}: no history.ndjson in it or in its sub-folders; expected a run folder written by nettcp-chaos run (OUT/<suite>/)`,
    ),
  );
  await t.rejects(runDirs(join(empty, 'missing')), {
    name: 'RunDirError',
    message: /missing: no such folder/,
  });
  await t.rejects(rebuildRun(empty), {
    name: 'RunDirError',
    message: /no history\.ndjson; not a run folder/,
  });

  const damaged = await writeRunDir(false);
  const file = join(damaged, 'history.ndjson');
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[3] = '{"t": broken';
  await writeFile(file, lines.join('\n'));
  await t.rejects(rebuildRun(damaged), {
    name: 'RunDirError',
    message: /history\.ndjson:4: not a JSON event/,
  });

  const noMeta = await writeRunDir(false);
  await writeFile(join(noMeta, 'history.ndjson'), '{"t":1,"kind":"phase","phase":"starting"}\n');
  await t.rejects(rebuildRun(noMeta), { name: 'RunDirError', message: /no meta event/ });

  const badSuite = await writeRunDir(false);
  const h = (await readFile(join(badSuite, 'history.ndjson'), 'utf8')).split('\n');
  const meta = JSON.parse(h[0]!) as { text: string };
  meta.text = meta.text.replace('rate: 50', 'rate: fast');
  h[0] = JSON.stringify(meta);
  await writeFile(join(badSuite, 'history.ndjson'), h.join('\n'));
  await t.rejects(rebuildRun(badSuite), {
    name: 'RunDirError',
    message:
      /does not validate with this version of nettcp-chaos:\n {2}hand-made\.yaml:\d+:\d+ load\[0\]\.rate: expected a positive number/,
  });
});

t.test('an --out folder of several runs lists each run folder in it, by name', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-report-'));
  const history = await readFile(join(await writeRunDir(false), 'history.ndjson'));
  for (const name of ['second', 'first']) {
    await mkdir(join(out, name));
    await writeFile(join(out, name, 'history.ndjson'), history);
  }
  await mkdir(join(out, 'not-a-run'));
  t.same(await runDirs(out), [join(out, 'first'), join(out, 'second')]);
  t.same(await runDirs(join(out, 'first')), [join(out, 'first')]);
});
