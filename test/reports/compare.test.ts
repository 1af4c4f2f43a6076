import t from 'tap';
import { type CompareSide, compareRuns, compareSide } from '../../reports/compare.ts';
import { COMPARE_SCHEMA, type CompareDocument, renderCompareText } from '../../reports/compare-text.ts';
import { handMadeRun } from './fixtures.ts';

const side = (defective: boolean): CompareSide =>
  compareSide(defective ? 'runs-defective' : 'runs-fixed', handMadeRun(defective), {
    probeIntervalMs: 100,
    fdTolerance: 2,
  });

const rowOf = (
  rows: ReturnType<typeof compareRuns>['rows'],
  section: string,
  metric: string,
  subject?: string,
) =>
  rows.find(
    (r) => r.section === section && r.metric === metric && (subject === undefined || r.subject === subject),
  )!;

t.test('a fixed run beside its defective baseline is better on what the defect broke', async (t) => {
  const c = compareRuns(side(true), side(false));
  t.equal(c.regressions, 0);
  for (const check of ['listener.responsive', 'handles.noLeak', 'sessions.errorRate', 'latency'])
    t.match(rowOf(c.rows, 'checks', 'status', check), { a: 'fail', b: 'pass', better: 'b' }, check);
  t.match(rowOf(c.rows, 'latency', 'p99'), { better: 'b', gated: true });
  t.match(rowOf(c.rows, 'errors', 'error rate'), { a: 0.125, b: 0, better: 'b' });
  t.match(rowOf(c.rows, 'errors', 'error rate').aText, '12.5% (25 timeout)');
  t.match(rowOf(c.rows, 'fds', 'peak fds', 'worker /orders'), { a: 30, b: 13, better: 'b' });
  t.match(rowOf(c.rows, 'fds', 'fds left after settle', 'worker /orders'), { a: 18, b: 0, better: 'b' });
  t.match(rowOf(c.rows, 'fds', 'peak fds', 'listener'), { a: 15, b: 15, better: 'same' });
  t.match(rowOf(c.rows, 'probes', 'longest probe gap'), { a: 1500, b: 100, better: 'b' });
  t.ok(c.improvements >= 9);
  const text = renderCompareText({
    schema: COMPARE_SCHEMA,
    version: 1,
    comparisons: [c],
    onlyInA: [],
    onlyInB: [],
    regressions: 0,
    exitCode: 0,
  } satisfies CompareDocument);
  t.match(text, /handles\.noLeak\s+FAIL\s+PASS\s+B better/);
  t.match(text, /worker \/orders: fds left after settle\s+\+18\s+0\s+B better/);
  t.match(text, /longest probe gap\s+1\.5s\s+100ms\s+B better/);
  t.match(text, /no regression \(exit 0\)/);
});

t.test('the defective run as the candidate regresses, and every regression is named', async (t) => {
  const c = compareRuns(side(false), side(true));
  const names = c.rows.filter((r) => r.regression).map((r) => `${r.section} ${r.subject} ${r.metric}`);
  t.ok(names.includes('checks handles.noLeak status'));
  t.ok(names.includes('checks listener.responsive status'));
  t.ok(names.includes('fds worker /orders fds left after settle'));
  t.ok(names.includes('probes listener longest probe gap'));
  t.ok(names.includes('errors steady error rate'));
  t.notOk(
    names.some((n) => n.endsWith(' max')),
    'max latency is shown, not gated',
  );
  t.notOk(names.includes('probes listener failed probes'), 'failed probes are shown, not gated');
  t.equal(rowOf(c.rows, 'probes', 'failed probes').better, 'a');
  t.equal(c.regressions, names.length);
});

t.test('differences within the noise allowances are the same', async (t) => {
  const a = side(false);
  const b = side(false);
  const la = a.report.loads[0]!.latencyMs.corrected;
  const lb = b.report.loads[0]!.latencyMs.corrected;
  lb.p50 = la.p50 * 1.15; // within 20%
  lb.p99 = la.p99 + 1.9; // under the 2ms floor
  lb.p90 = la.p90 * 10; // far slower, and the session counts cannot explain it:
  b.latencyBounds['steady']!.p90 = { low: lb.p90 * 0.9, high: lb.p90 * 1.1 };
  b.report.target.roles[1]!.peakFds += 2; // within the fd tolerance
  b.report.probes.longestGap = { from: 0, to: 300, ms: 300 }; // within two probe intervals of 100ms
  const l = b.report.loads[0]!;
  l.failed = { timeout: 1 }; // 1 in 200 against none: within what 200 sessions explain
  l.errorRate = 1 / 201;
  const c = compareRuns(a, b);
  for (const m of ['p50', 'p99']) t.equal(rowOf(c.rows, 'latency', m).better, 'same', m);
  t.equal(rowOf(c.rows, 'latency', 'p90').better, 'a', 'ten times slower is worse');
  t.equal(rowOf(c.rows, 'errors', 'error rate').better, 'same');
  t.equal(rowOf(c.rows, 'fds', 'peak fds', 'worker /orders').better, 'same');
  t.equal(rowOf(c.rows, 'probes', 'longest probe gap').better, 'same');
  t.equal(c.regressions, 1);
  t.equal(
    compareRuns(a, b, { latencyTolerance: 10 }).regressions,
    0,
    'a wider latency tolerance lets p90 through',
  );

  // The same tenfold p90 whose intervals overlap (few sessions) is not called worse.
  b.latencyBounds['steady']!.p90 = { low: la.p90, high: lb.p90 * 1.1 };
  t.equal(rowOf(compareRuns(a, b).rows, 'latency', 'p90').better, 'same');

  l.failed = { timeout: 20 }; // 10% against none is more than chance
  l.errorRate = 20 / 220;
  t.equal(rowOf(compareRuns(a, b).rows, 'errors', 'error rate').better, 'a');
});

t.test('what only one run has is shown but not judged; different suites are pointed out', async (t) => {
  const a = side(false);
  const b = side(false);
  b.report.suite = 'other';
  b.report.verdicts = b.report.verdicts.filter((v) => v.check !== 'latency');
  b.report.target.roles = b.report.target.roles.filter((r) => r.role === 'listener');
  b.report.loads[0]!.name = 'renamed';
  const c = compareRuns(a, b);
  t.match(rowOf(c.rows, 'checks', 'status', 'latency'), {
    better: 'n/a',
    note: 'only in A',
    regression: false,
  });
  t.match(rowOf(c.rows, 'fds', 'peak fds', 'worker /orders'), { better: 'n/a', note: 'only in A' });
  t.match(rowOf(c.rows, 'errors', 'error rate', 'renamed'), { better: 'n/a', note: 'only in B' });
  t.equal(c.regressions, 0);
  t.match(c.warnings, [/different suites \(hand-made and other\)/]);
});

t.test('an outage is never faster: a run that failed more is not better on latency', async (t) => {
  // B: most sessions reset at once; the few that got through were quick.
  const a = side(false);
  const b = side(false);
  const l = b.report.loads[0]!;
  l.failed = { reset: 480 };
  l.ok = 20;
  l.errorRate = 480 / 500;
  l.latencyMs.corrected = { ...l.latencyMs.corrected, count: 20, p50: 0.5, p90: 0.6, p99: 0.7, max: 0.7 };
  l.latencyMs.failed = { count: 480, p50: 1, p90: 2, p99: 3, max: 4 };
  b.latencyBounds['steady'] = {
    p50: { low: 0.5, high: 0.5 },
    p90: { low: 0.6, high: 0.6 },
    p99: { low: 0.7, high: 0.7 },
  };
  a.report.loads[0]!.latencyMs.corrected.p50 = 50;
  a.latencyBounds['steady']!.p50 = { low: 50, high: 50 };
  const c = compareRuns(a, b);
  t.match(rowOf(c.rows, 'errors', 'error rate'), { better: 'a', regression: true });
  t.match(rowOf(c.rows, 'latency', 'p50'), {
    better: 'same',
    regression: false,
    note: /B is faster only in its fewer successes/,
  });
  t.notOk(
    c.rows.some((r) => r.section === 'latency' && r.better === 'b'),
    'no latency line favours the outage',
  );
  t.match(rowOf(c.rows, 'errors', 'reset'), { aText: '0 (0.00%)', bText: '480 (96.0%)', gated: false });
  t.match(rowOf(c.rows, 'errors', 'time to fail p50'), { bText: '1.0ms', better: 'n/a', gated: false });

  // The other way round: the healthy run, slower than the outage's lucky few, is no regression.
  const back = compareRuns(b, a);
  t.match(rowOf(back.rows, 'latency', 'p50'), { better: 'same', note: /A is faster only/ });
  t.notOk(back.rows.some((r) => r.section === 'latency' && r.regression));
  t.match(rowOf(back.rows, 'errors', 'error rate'), { better: 'b' });

  // A run where none succeeded says so, and is not compared on latency.
  l.ok = 0;
  l.latencyMs.corrected = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const none = compareRuns(a, b);
  t.match(rowOf(none.rows, 'latency', 'p50'), {
    bText: 'none succeeded',
    better: 'n/a',
    note: 'no session of B succeeded',
  });
  const text = renderCompareText({
    schema: COMPARE_SCHEMA,
    version: 1,
    comparisons: [c],
    onlyInA: [],
    onlyInB: [],
    regressions: c.regressions,
    exitCode: 1,
  });
  t.match(text, /steady p50 +50ms +0\.5ms +same: B is faster only in its fewer successes/);
  t.match(text, /\n {4}reset +0 \(0\.00%\) +480 \(96\.0%\) +B worse \(not gated\)\n/);
  t.match(text, /\n {4}time to fail p50 +[-\d.ms]+ +1\.0ms +shown, not judged\n/);
});
