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
