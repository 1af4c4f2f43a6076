import t from 'tap';
import { latency } from '../../../harness/checks/latency.ts';
import { fault, history, loadEverySecond, phase } from '../../helpers/history.ts';

// 10 s of load; a fault from 4 s to 6 s during which sessions take 800 ms instead of 5 ms.
const h = history(
  phase(0, 'load'),
  fault(4000, 'inject'),
  fault(6000, 'heal'),
  ...loadEverySecond(0, 10000, (x) => ({ ok: 100, ms: x > 4000 && x <= 6000 ? 800 : 5 })),
  phase(10000, 'drain'),
);

t.test('the whole-load p99 sees the fault', async (t) => {
  const v = latency.run(h, { p99: 250, phase: 'all', metric: 'session' });
  t.equal(v.status, 'fail');
  t.match(v.summary, /p99 was 80\dms, limit 250ms/);
});

t.test('scoped to the baseline, the same run passes; scoped to the fault, it fails', async (t) => {
  t.equal(latency.run(h, { p99: 250, phase: 'baseline', metric: 'session' }).status, 'pass');
  t.equal(latency.run(h, { p99: 250, phase: 'recovery', metric: 'session' }).status, 'pass');
  const during = latency.run(h, { p50: 250, phase: 'faults', metric: 'session' });
  t.equal(during.status, 'fail');
  t.match(during.evidence, {
    byPhase: { baseline: { count: 400 }, faults: { count: 200 }, recovery: { count: 400 } },
  });
});

t.test('call latency is its own metric', async (t) => {
  t.equal(latency.run(h, { p50: 10, phase: 'all', metric: 'call' }).status, 'pass');
});

t.test('no sessions in the phase: unknown', async (t) => {
  const none = history(
    phase(0, 'load'),
    ...loadEverySecond(0, 3000, () => ({ ok: 10 })),
    phase(3000, 'drain'),
  );
  t.equal(latency.run(none, { p99: 100, phase: 'faults', metric: 'session' }).status, 'unknown');
});

// Load from 0 to 6 s; from 2 s to 4 s every session is reset within 1 ms and none succeeds.
const outage = history(
  phase(0, 'load'),
  ...loadEverySecond(0, 6000, (x) =>
    x > 2000 && x <= 4000 ? { ok: 0, failed: { reset: 50 }, failMs: 1 } : { ok: 50, ms: 40 },
  ),
  phase(6000, 'drain'),
);

t.test('fast failures are not fast latency: the percentiles are of successes only', async (t) => {
  const v = latency.run(outage, { p50: 30, phase: 'all', metric: 'session' });
  t.equal(v.status, 'fail', 'the successes took 40ms; the resets in 1ms do not pull the median down');
  t.match(v.evidence, {
    byPhase: { all: { count: 200 } },
    failures: { all: { failed: 100, byKind: { reset: 100 } } },
  });
});

t.test('the summary says what failed beside the latency, and where none succeeded', async (t) => {
  const v = latency.run(outage, { p99: 250, phase: 'all', metric: 'session' });
  t.equal(v.status, 'pass');
  t.match(
    v.summary,
    /200 sessions that succeeded\) stayed within its limits: .*; 100 other sessions failed \(33\.3%: 100 reset\) after 1\.0ms at the median, and none succeeded from 2\.0s to 4\.0s: their time to fail is not latency/,
  );
  t.same(v.evidence['noSuccess'], [{ load: 'steady', from: 2000, to: 4000, failed: '100 reset' }]);
  const view = latency.view(v);
  t.match(view.tables[0]!.columns, [
    'phase',
    'succeeded',
    'p50',
    'p90',
    'p99',
    'max',
    'failed',
    'time to fail p50',
    'p99',
  ]);
  t.match(view.tables[0]!.rows[0], [
    'all (judged)',
    '200',
    '40ms',
    '40ms',
    '40ms',
    '40ms',
    '100 (33.3%): 100 reset',
    '1.0ms',
    '1.0ms',
  ]);
  t.match(view.tables[1]!.rows, [['steady', '2.0s', '4.0s', '100 reset']]);
});

t.test('a phase where every session failed is unknown, never fast', async (t) => {
  const h2 = history(
    phase(0, 'load'),
    fault(1000, 'inject'),
    fault(3000, 'heal'),
    ...loadEverySecond(0, 4000, (x) =>
      x > 1000 && x <= 3000 ? { ok: 0, failed: { reset: 50 }, failMs: 1 } : { ok: 50, ms: 5 },
    ),
    phase(4000, 'drain'),
  );
  const v = latency.run(h2, { p99: 250, phase: 'faults', metric: 'session' });
  t.equal(v.status, 'unknown');
  t.match(
    v.summary,
    /No session succeeded in the faults phase, so its latency cannot be judged; 100 sessions failed \(100\.0%: 100 reset\)/,
  );
  const view = latency.view(v);
  t.match(
    view.tables[0]!.rows.find((r) => r[0] === 'faults (judged)'),
    ['faults (judged)', '0', 'none succeeded'],
  );
});
