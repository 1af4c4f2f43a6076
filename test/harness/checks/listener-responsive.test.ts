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

t.test(
  'a probe in flight when an instant fault struck neither hides the fault nor counts as recovery',
  async (t) => {
    const slowOk = { ...probe(3050, true), ms: 80 }; // started at 2970, before the fault healed at 3010
    const v = listenerResponsive.run(
      history(
        phase(1000, 'load'),
        ...everyMs(1000, 2900, 100, () => true),
        fault(3000, 'inject', 'recycle#0', 'recycle by SIGHUP'),
        fault(3010, 'heal', 'recycle#0', 'recycle by SIGHUP'),
        slowOk,
        ...everyMs(3100, 8000, 100, () => false),
        phase(8000, 'final'),
      ),
      { maxGap: 1000 },
    );
    t.equal(v.status, 'fail');
    t.match(v.summary, /It began around recycle by SIGHUP/);
    t.match(v.summary, /never answered again after recycle by SIGHUP/);
    t.match(v.evidence, { recoveries: [{ fault: 'recycle#0', recoveredAfterMs: null }] });
  },
);

t.test('with a net.tcp and an HTTP listener probed, the worst gap decides and is named', async (t) => {
  const of = (listener: string, from: number, to: number, ok: (x: number) => boolean) =>
    everyMs(from, to, 100, ok).map((e) => ({ ...e, listener }));
  const h = history(
    phase(1000, 'load'),
    fault(4000, 'inject'),
    fault(4100, 'heal'),
    ...of('net.tcp://127.0.0.1:1/a', 1000, 9000, () => true),
    ...of('http://127.0.0.1:2/b', 1050, 9050, (x) => x < 4000 || x > 6000),
    phase(9100, 'final'),
  );
  const v = listenerResponsive.run(h, { maxGap: 1000 });
  t.equal(v.status, 'fail');
  t.match(v.summary, /^The listener at http:\/\/127\.0\.0\.1:2\/b did not complete a new session for 2\.1s/);
  t.match(v.evidence, {
    listener: 'http://127.0.0.1:2/b',
    listeners: [
      { listener: 'net.tcp://127.0.0.1:1/a', longestGapMs: 100 },
      { listener: 'http://127.0.0.1:2/b', longestGapMs: 2100 },
    ],
    // Recovered once both answered again: the HTTP one at 6.05s.
    recoveries: [{ recoveredAfterMs: 6050 - 4100 }],
  });
  const facts = Object.fromEntries(listenerResponsive.view(v).facts);
  t.match(facts['gap at http://127.0.0.1:2/b'], /^2\.1s \(81 probes, 20 failed\)/);
  const fine = listenerResponsive.run(h, { maxGap: 3000 });
  t.equal(fine.status, 'pass');
  t.match(
    fine.summary,
    /^The listeners \(2\) answered throughout; .* was 2\.1s \(at http:\/\/127\.0\.0\.1:2\/b\)/,
  );
});
