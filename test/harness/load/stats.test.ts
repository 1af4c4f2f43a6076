import t from 'tap';
import { LoadStats } from '../../../harness/load/stats.ts';

t.test('latency is that of sessions that succeeded; failures have their own time to fail', async (t) => {
  const s = new LoadStats('l');
  for (let i = 0; i < 3; i++) s.started();
  s.finished(undefined, 200, 150);
  s.finished({ kind: 'reset', stage: 'connect' }, 2, 2);
  s.finished({ kind: 'timeout', stage: 'preamble' }, 5000, 5000);
  const w = s.window(1000, 1000);
  t.match(w, { started: 3, ok: 1, failed: { reset: 1, timeout: 1 }, active: 0 });
  t.equal(w.latency.corrected.count, 1, 'a fast reset is not a fast answer');
  t.ok(Math.abs(w.latency.corrected.p50 - 200) < 1);
  t.ok(Math.abs(w.latency.uncorrected.p50 - 150) < 1);
  t.equal(w.latency.failed?.count, 2);
  t.ok(w.latency.failed!.max >= 4990, 'the timeout is in the time to fail');
});

t.test("calls: only successful calls' latency is recorded; failed ones are counted", async (t) => {
  const s = new LoadStats('l');
  s.call(true, 10);
  s.call(false, 1);
  s.call(false, 1);
  const w = s.window(1000, 1000);
  t.same(w.calls, { ok: 1, failed: 2 });
  t.equal(w.latency.call.count, 1);
});

t.test('each window starts over; totals and sessions in flight carry on', async (t) => {
  const s = new LoadStats('l');
  s.started();
  s.started();
  s.dropped();
  s.finished(undefined, 1, 1);
  t.match(s.window(1000, 1000), { started: 2, ok: 1, dropped: 1, active: 1 });
  const w = s.window(2000, 1000);
  t.match(w, { started: 0, ok: 0, dropped: 0, active: 1, failed: {} });
  t.equal(w.latency.corrected.count, 0);
  t.same(s.totals, { started: 2, ok: 1, failed: 0, dropped: 1 });
});
