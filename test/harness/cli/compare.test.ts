import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { CompareDocument } from '../../../reports/compare-text.ts';
import { runCli } from '../../helpers/cli.ts';

t.test('compare on real runs: a leaking program and a fixed one', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const run = await runCli([
    'run',
    'test/fixtures/suites/leaky-program.yaml',
    'test/fixtures/suites/clean-program.yaml',
    '--out',
    out,
  ]);
  t.equal(run.exitCode, 1, 'the leaky program fails', { stdout: String(run.stdout) });
  const leaky = join(out, 'leaky-program');
  const clean = join(out, 'clean-program');

  t.test('the fixed run as the candidate is better where the leak was, and passes the gate', async (t) => {
    // Two different programs, run one after the other on a shared machine: their latencies may differ
    // by more than the default 20% for reasons that have nothing to do with handles. The gate on
    // latency has its own tests on hand-made runs; here it is opened wide.
    const r = await runCli(['compare', leaky, clean, '--latency-tolerance', '1000']);
    t.equal(r.exitCode, 0, String(r.stdout));
    const text = String(r.stdout);
    t.match(text, /^A {2}.*leaky-program: leaky-program, seed 3, not-met, started /);
    t.match(text, /note: the runs are of different suites \(leaky-program and clean-program\)/);
    t.match(text, /\n {2}handles\.noLeak +FAIL +PASS +B better\n/);
    t.match(text, /\n {2}process: fds left after settle +\+1\d\d +[-+]?\d +B better\n/);
    t.match(text, /\n {2}process: peak fds +2\d\d +\d\d +B better\n/);
    t.match(text, /no regression \(exit 0\)$/);
  });

  t.test('the leaking run as the candidate regresses: exit 1, and the JSON names what', async (t) => {
    const r = await runCli(['compare', clean, leaky, '--json']);
    t.equal(r.exitCode, 1, String(r.stderr));
    const doc = JSON.parse(String(r.stdout)) as CompareDocument;
    t.match(doc, { schema: 'nettcp-chaos/compare', version: 1, exitCode: 1, onlyInA: [], onlyInB: [] });
    const regressed = doc.comparisons[0]!.rows.filter((x) => x.regression).map(
      (x) => `${x.subject} ${x.metric}`,
    );
    t.ok(regressed.includes('handles.noLeak status'), regressed.join(', '));
    t.ok(regressed.includes('process fds left after settle'));
    t.ok(regressed.includes('process peak fds'));
    t.equal(doc.regressions, regressed.length);
  });

  t.test('--out folders pair their runs by suite folder', async (t) => {
    const a = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    const b = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    await mkdir(join(a, 'svc'));
    await mkdir(join(b, 'svc'));
    await cp(clean, join(a, 'svc'), { recursive: true });
    await cp(leaky, join(b, 'svc'), { recursive: true });
    await cp(clean, join(a, 'only-a'), { recursive: true });
    await cp(clean, join(b, 'only-b'), { recursive: true });
    const r = await runCli(['compare', a, b]);
    t.equal(r.exitCode, 1);
    t.match(String(r.stdout), /only in A \(not compared\): only-a\n/);
    t.match(String(r.stdout), /only in B \(not compared\): only-b\n/);
    t.equal(String(r.stdout).match(/^A {2}/gm)?.length, 1, 'one pair');
  });

  t.test('usage mistakes and folders that are not runs exit 2 without a stack', async (t) => {
    const empty = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    for (const [args, message] of [
      [[clean], /expected two run folders, got 1/],
      [[clean, join(empty, 'nope')], /nope: no such folder/],
      [[clean, empty], /no history\.ndjson in it or in its sub-folders/],
      [
        [clean, leaky, '--latency-tolerance', 'lots'],
        /--latency-tolerance: expected a percentage of 0 or more \(20 or 20%\), got "lots" \(string\)/,
      ],
    ] as [string[], RegExp][]) {
      const r = await runCli(['compare', ...args]);
      t.equal(r.exitCode, 2, args.join(' '));
      t.match(String(r.stderr), message);
      t.notMatch(String(r.stderr), /\n\s+at /);
    }
  });
});
