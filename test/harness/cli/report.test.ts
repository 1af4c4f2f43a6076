import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../../../reports/json.ts';
import { runCli } from '../../helpers/cli.ts';

const FILES = ['report.json', 'junit.xml', 'report.html'];

// Where two JSON values differ; numbers may differ by a rounding (history.ndjson keeps microseconds,
// the run's own report was made from the unrounded times).
const differences = (a: unknown, b: unknown, path = ''): string[] => {
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 0.002 ? [] : [`${path}: ${a} != ${b}`];
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return a === b ? [] : [`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
  );
};

t.test('report DIR rebuilds a real run from its history alone', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const run = await runCli(['run', 'test/fixtures/suites/clean-program.yaml', '--out', out]);
  t.equal(run.exitCode, 0, 'the run passes', { stdout: String(run.stdout) });
  const dir = join(out, 'clean-program');
  const before = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
  const junitBefore = await readFile(join(dir, 'junit.xml'), 'utf8');
  for (const f of FILES) await rm(join(dir, f));

  t.test('a run folder', async (t) => {
    const r = await runCli(['report', dir]);
    t.equal(r.exitCode, 0, String(r.stderr));
    t.match(String(r.stdout), /^clean-program: met its expectation \(expect pass; seed 3; /);
    t.match(
      String(r.stdout),
      /reports: .*clean-program\/report\.html, report\.json, junit\.xml, history\.ndjson/,
    );
    for (const f of FILES) await access(join(dir, f));
    const after = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    t.ok(Math.abs(after.durationMs - before.durationMs) < 50, 'the duration is the one recorded');
    t.same(
      differences({ ...after, durationMs: 0 }, { ...before, durationMs: 0 }),
      [],
      'the same report.json the run wrote',
    );
    const time = (x: string) => x.replace(/ time="[\d.]+"/g, '');
    t.equal(time(await readFile(join(dir, 'junit.xml'), 'utf8')), time(junitBefore), 'the same junit.xml');
    t.match(
      await readFile(join(dir, 'report.html'), 'utf8'),
      /<h1>clean-program <span class="result">met its expectation/,
    );
  });

  t.test('an --out folder, as JSON', async (t) => {
    const r = await runCli(['report', out, '--json']);
    t.equal(r.exitCode, 0, String(r.stderr));
    const reports = JSON.parse(String(r.stdout)) as Report[];
    t.same(
      reports.map((x) => [x.suite, x.outcome.result]),
      [['clean-program', 'met']],
    );
  });

  t.test('a history torn mid-line by a killed run', async (t) => {
    const torn = join(out, 'torn', 'clean-program');
    await mkdir(torn, { recursive: true });
    await copyFile(join(dir, 'history.ndjson'), join(torn, 'history.ndjson'));
    const text = await readFile(join(torn, 'history.ndjson'), 'utf8');
    // Cut halfway through the first event after the drain began: no outcome, no final reading.
    const at = text.indexOf('\n', text.indexOf('"phase":"drain"')) + 1;
    await writeFile(join(torn, 'history.ndjson'), text.slice(0, at + 25));
    const r = await runCli(['report', torn]);
    t.equal(r.exitCode, 0, String(r.stderr));
    t.match(String(r.stdout), /^clean-program: was interrupted/);
    const report = JSON.parse(await readFile(join(torn, 'report.json'), 'utf8')) as Report;
    t.match(report.outcome, { result: 'interrupted', exitCode: 3 });
    t.equal(report.verdicts.find((v) => v.check === 'handles.noLeak')?.status, 'unknown');
    t.equal(report.verdicts.find((v) => v.check === 'sessions.errorRate')?.status, 'pass');
    t.match(
      await readFile(join(torn, 'report.html'), 'utf8'),
      /without an outcome: the harness was stopped before it finished/,
    );
  });
});

t.test('report on a folder that is not a run exits 2 with a clear message and no stack', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  for (const [args, message] of [
    [[join(empty, 'nope')], /^nettcp-chaos report: .*nope: no such folder$/m],
    [[empty], /no history\.ndjson in it or in its sub-folders/],
    [[], /^nettcp-chaos report: expected at least one run folder/],
    [['--bogus', empty], /^nettcp-chaos report: Unknown option '--bogus'/],
  ] as [string[], RegExp][]) {
    const r = await runCli(['report', ...args]);
    t.equal(r.exitCode, 2, args.join(' '));
    t.match(String(r.stderr), message);
    t.notMatch(String(r.stderr), /\n\s+at /, 'no stack trace');
  }
  const help = await runCli(['report', '--help']);
  t.equal(help.exitCode, 0);
  t.match(String(help.stdout), /^usage: nettcp-chaos report DIR\.\.\. \[--json\]/);
});
