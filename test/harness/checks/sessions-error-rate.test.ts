import t from 'tap';
import { sessionsErrorRate } from '../../../harness/checks/sessions-error-rate.ts';
import { history, load, phase } from '../../helpers/history.ts';

t.test('passes under the limit and fails over it, with a breakdown by outcome', async (t) => {
  const h = history(phase(0, 'load'), load(1000, { ok: 990, failed: { timeout: 10 } }));
  t.equal(sessionsErrorRate.run(h, { max: 0.02, countDropped: true }).status, 'pass');
  const v = sessionsErrorRate.run(h, { max: 0.005, countDropped: true });
  t.equal(v.status, 'fail');
  t.equal(v.summary, '10 of 1000 sessions failed (1.0%, limit 0.50%): 10 timeout.');
});

t.test('sessions that could not start count unless told otherwise', async (t) => {
  const h = history(phase(0, 'load'), load(1000, { ok: 90, failed: { reset: 2, fault: 3 }, dropped: 5 }));
  const v = sessionsErrorRate.run(h, { max: 0.05, countDropped: true });
  t.equal(v.status, 'fail');
  t.match(
    v.summary,
    /10 of 100 sessions failed \(10\.0%.*\): 3 fault, 2 reset, 5 dropped \(could not start\)/,
  );
  t.equal(sessionsErrorRate.run(h, { max: 0.06, countDropped: false }).status, 'pass');
});

t.test('no sessions: unknown', async (t) => {
  t.equal(
    sessionsErrorRate.run(history(phase(0, 'load')), { max: 0.01, countDropped: true }).status,
    'unknown',
  );
});
