import t from 'tap';
import { probeGaps } from '../../model/probe-gaps.ts';
import { history, phase, probe } from '../helpers/history.ts';

t.test('each listener has its own longest gap; the worst is the run gap', async (t) => {
  const at = (listener: string | undefined, x: number, ok = true) => ({
    ...probe(x, ok, ok ? undefined : { kind: 'refused', stage: 'connect' }),
    ...(listener === undefined ? {} : { listener }),
  });
  const g = probeGaps(
    history(
      phase(1000, 'load'),
      at('a', 1100),
      at('b', 1150),
      at('a', 1200),
      at('b', 1700, false),
      at('a', 1300),
      at('b', 2150),
      phase(2200, 'final'),
    ),
  );
  t.same(
    g.listeners.map((l) => [l.listener, l.longestGap?.ms, l.failed, l.probes.length]),
    [
      ['a', 900, 0, 3],
      ['b', 1000, 1, 3],
    ],
  );
  t.equal(g.listener, 'b');
  t.same(g.longestGap, { from: 1150, to: 2150, ms: 1000 });
  t.equal(g.probes.length, 6, 'every probe');
  t.equal(g.failed, 1);
  t.equal(g.endedWithoutAnswer, false);
});

t.test('probes without a listener (older histories) are one listener, as before', async (t) => {
  const g = probeGaps(
    history(phase(1000, 'load'), probe(1500, true), probe(1600, false), phase(3000, 'final')),
  );
  t.equal(g.listeners.length, 1);
  t.equal(g.listener, undefined);
  t.same(g.longestGap, { from: 1500, to: 3000, ms: 1500 });
  t.equal(g.endedWithoutAnswer, true);
});
