import fc from 'fast-check';
import t from 'tap';
import { mergeLoadSamples } from '../../../harness/load/merge.ts';
import { LoadStats } from '../../../harness/load/stats.ts';
import type { LoadSample } from '../../../model/history.ts';

type Session = { load: string; ok: boolean; ms: number };

// Each generator's window from the sessions it saw.
const windowOf = (sessions: readonly Session[], loads: readonly string[]): LoadSample[] =>
  loads.map((load) => {
    const s = new LoadStats(load);
    for (const x of sessions.filter((y) => y.load === load)) {
      s.started();
      s.call(true, x.ms / 2);
      s.finished(x.ok ? undefined : { kind: 'timeout', stage: 'call' }, x.ms, x.ms / 2);
    }
    return s.window(0, 500);
  });

const session = fc.record({
  load: fc.constantFrom('a', 'b'),
  ok: fc.boolean(),
  ms: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
});

// The encoded histograms may differ byte for byte (the merged one was decoded and encoded again); what
// they say does not.
const strip = (s: LoadSample) => ({
  ...s,
  latency: Object.fromEntries(
    Object.entries(s.latency).map(([k, w]) => [k, w === undefined ? w : { ...w, hist: w.count > 0 }]),
  ),
});

t.test(
  "generators' windows merge into the window one generator would have recorded of all their sessions",
  async (t) => {
    fc.assert(
      fc.property(
        fc.array(fc.array(session, { maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        (byGenerator) => {
          const merged = mergeLoadSamples(
            1000,
            500,
            byGenerator.flatMap((g) => windowOf(g, ['a', 'b'])),
          );
          const whole = windowOf(byGenerator.flat(), ['a', 'b']).map((s) => ({ ...s, t: 1000 }));
          return JSON.stringify(merged.map(strip)) === JSON.stringify(whole.map(strip));
        },
      ),
      { numRuns: 100 },
    );
    t.pass();
  },
);

t.test('loads keep the order they first appear in, and the window takes the harness time', async (t) => {
  const [a, b] = windowOf([], ['b', 'a']);
  const merged = mergeLoadSamples(42, 300, [a!, b!, a!]);
  t.same(
    merged.map((s) => [s.load, s.t, s.windowMs]),
    [
      ['b', 42, 300],
      ['a', 42, 300],
    ],
  );
});
