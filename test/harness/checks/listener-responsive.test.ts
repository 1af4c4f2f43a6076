import t from 'tap';
import { listenerResponsive } from '../../../harness/checks/listener-responsive.ts';
import { fault, history, phase, probe } from '../../helpers/history.ts';

const everyMs = (from: number, to: number, step: number, ok: (t: number) => boolean) => {
  const out = [];
  for (let x = from; x <= to; x += step)
    out.push(probe(x, ok(x), ok(x) ? undefined : { kind: 'timeout', stage: 'preamble' }));
  return out;
};

t.test('passes when probes keep succeeding', async (t) => {
  const v = listenerResponsive.run(
    history(phase(1000, 'load'), ...everyMs(1000, 9000, 100, () => true), phase(9000, 'final')),
    {
      maxGap: 1000,
    },
  );
  t.equal(v.status, 'pass', v.summary);
  t.match(v.summary, /longest gap between successful probes was 100ms/);
});

t.test('fails on a gap longer than allowed, naming the gap, the fault and how probes failed', async (t) => {
  const v = listenerResponsive.run(
    history(
      phase(1000, 'load'),
      fault(4000, 'inject'),
      fault(4100, 'heal'),
      ...everyMs(1000, 10000, 100, (x) => x < 4000 || x > 7000),
      phase(10000, 'final'),
    ),
    { maxGap: 1000 },
  );
  t.equal(v.status, 'fail');
  t.match(
    v.summary,
    /did not complete a new session for 3\.2s \(from 3\.9s to 7\.1s into the run, limit 1\.0s\)/,
  );
  t.match(v.summary, /It began around overlapped recycle of \/orders/);
  t.match(v.summary, /31 probe\(s\) failed: 31 timed out in the preamble stage/);
  t.match(v.evidence, { recoveries: [{ fault: 'recycle#0', recoveredAfterMs: 3000 }] });
});

t.test('a listener that never answers again fails, and says so', async (t) => {
  const v = listenerResponsive.run(
    history(
      phase(1000, 'load'),
      fault(3000, 'inject'),
      fault(3050, 'heal'),
      ...everyMs(1000, 9000, 100, (x) => x < 3000),
      phase(9000, 'final'),
    ),
    { maxGap: 1000 },
  );
  t.equal(v.status, 'fail');
  t.match(v.summary, /it never answered again/);
  t.match(v.summary, /never answered again after overlapped recycle of \/orders/);
});

t.test('with no probes the verdict is unknown', async (t) => {
  t.equal(listenerResponsive.run(history(phase(1000, 'load')), { maxGap: 1000 }).status, 'unknown');
});
