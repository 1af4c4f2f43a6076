import t from 'tap';
import fc from 'fast-check';
import { keepIndices, MAX_POINTS } from '../../reports/downsample.ts';

const lines = fc
  .record({ n: fc.integer({ min: 1, max: 3000 }), k: fc.integer({ min: 1, max: 4 }), seed: fc.integer() })
  .chain(({ n, k }) =>
    fc.record({
      // Sorted x with repeats allowed (two series may record at the same instant).
      t: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }).map((steps) => {
        let x = 0;
        return steps.map((s) => (x += s));
      }),
      vs: fc.array(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null, freq: 10 }), {
          minLength: n,
          maxLength: n,
        }),
        { minLength: k, maxLength: k },
      ),
      max: fc.integer({ min: 14, max: 400 }),
    }),
  );

t.test('kept points: sorted, first and last, bounded, each series extremes and breaks kept', async (t) => {
  fc.assert(
    fc.property(lines, ({ t: xs, vs, max }) => {
      const kept = keepIndices({ t: xs, vs }, max);
      const n = xs.length;
      if (n <= max) return kept.length === n && kept.every((x, i) => x === i);
      if (kept.length > max) return false;
      if (kept[0] !== 0 || kept.at(-1) !== n - 1) return false;
      for (let i = 1; i < kept.length; i++) if (kept[i]! <= kept[i - 1]!) return false;
      for (const v of vs) {
        const values = v.filter((x): x is number => x !== null);
        const keptValues = kept.map((i) => v[i]);
        if (values.length > 0) {
          if (!keptValues.includes(Math.min(...values))) return false;
          if (!keptValues.includes(Math.max(...values))) return false;
        }
        if (v.includes(null) && !keptValues.includes(null)) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass('300 cases');
});

t.test('a one-window spike and a one-window break survive thinning 28,800 points', async (t) => {
  const n = 28_800;
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  const v: (number | null)[] = xs.map((x) => 20 + (x % 3));
  v[14_400] = 500;
  v[20_000] = null;
  v[25_000] = 0;
  const kept = keepIndices({ t: xs, vs: [v] });
  t.ok(kept.length <= MAX_POINTS, `${kept.length} points kept`);
  t.ok(kept.length > MAX_POINTS / 2, 'the budget is used');
  for (const i of [14_400, 20_000, 25_000]) t.ok(kept.includes(i), `index ${i} kept`);
});
