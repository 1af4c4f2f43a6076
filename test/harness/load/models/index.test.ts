import fc from 'fast-check';
import t from 'tap';
import { MODEL_LIST } from '../../../../harness/load/models/index.ts';
import type { AnyModel } from '../../../../harness/load/models/types.ts';
import type { Schedule } from '../../../../model/arrivals.ts';
import { split, WHOLE } from '../../../../harness/load/segment.ts';

const ms = (min: number, max: number) => fc.integer({ min, max }).map((n) => `${n}ms`);

// A model's schema holds its own fields only (the load's others come from its client and load-fields.ts).

// A spec of each registered model, as its schema gives it (defaults filled in).
const specs: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  'constant-arrival-rate': fc.record({
    rate: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0.1, max: 500, noNaN: true })),
    duration: ms(1, 20_000),
  }),
  'ramping-arrival-rate': fc.record({
    startRate: fc.integer({ min: 0, max: 300 }),
    stages: fc.array(fc.record({ target: fc.integer({ min: 0, max: 300 }), duration: ms(100, 5000) }), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  'constant-sessions': fc.record({
    sessions: fc.integer({ min: 1, max: 20_000 }),
    duration: ms(1, 60_000),
  }),
};

const parsed = (model: AnyModel, fields: Record<string, unknown>) =>
  model.schema.parse({ model: model.name, ...fields });

const units = (s: Schedule): number[] =>
  s.kind === 'closed' ? [s.lanes] : [...{ [Symbol.iterator]: s.arrivals }];

t.test('every registered model has a spec generator here', async (t) => {
  t.same(
    MODEL_LIST.map((m) => m.name).filter((n) => specs[n] === undefined),
    [],
  );
});

for (const model of MODEL_LIST as readonly AnyModel[]) {
  t.test(`${model.name}: the segments' shares add up exactly to the whole`, async (t) => {
    fc.assert(
      fc.property(specs[model.name]!, fc.integer({ min: 1, max: 12 }), (fields, n) => {
        const spec = parsed(model, fields);
        const whole = model.schedule(spec, WHOLE);
        const parts = split(n).map((s) => model.schedule(spec, s));
        if (whole.kind === 'closed')
          return parts.reduce((sum, p) => sum + (p.kind === 'closed' ? p.lanes : NaN), 0) === whole.lanes;
        // The caps on sessions in flight add up too.
        if (
          parts.reduce((sum, p) => sum + (p.kind === 'open' ? p.maxInFlight : NaN), 0) !== whole.maxInFlight
        )
          return false;
        // The same arrivals at the same times: the segments' merged schedule is the whole's.
        const merged = parts.flatMap(units).sort((a, b) => a - b);
        const all = units(whole);
        return merged.length === all.length && merged.every((x, i) => x === all[i]);
      }),
      { numRuns: 150 },
    );
    t.pass();
  });

  t.test(
    `${model.name}: a segment's share is the same whenever it is asked (seeds stay reproducible)`,
    async (t) => {
      fc.assert(
        fc.property(specs[model.name]!, fc.integer({ min: 1, max: 8 }), (fields, n) => {
          const spec = parsed(model, fields);
          return split(n).every(
            (s) =>
              JSON.stringify(units(model.schedule(spec, s))) ===
              JSON.stringify(units(model.schedule(spec, s))),
          );
        }),
        { numRuns: 50 },
      );
      t.pass();
    },
  );
}
