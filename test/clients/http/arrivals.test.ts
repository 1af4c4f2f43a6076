import fc from 'fast-check';
import t from 'tap';
import { constantArrivals, rampArrivals } from '../../../clients/http/index.ts';
import { rampArrivals as netTcpRamp } from '../../../harness/load/models/ramping-arrival-rate.ts';

t.test('a constant rate arrives every 1000/rate ms until the duration ends', async (t) => {
  t.same([...constantArrivals(4, 1000)], [0, 250, 500, 750]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 5000 }), (rate, ms) => {
      const a = [...constantArrivals(rate, ms)];
      if (a.length !== Math.ceil((rate * ms) / 1000 - 1e-9)) throw new Error(`${a.length} arrivals`);
    }),
  );
});

t.test('a ramp arrives exactly as the net.tcp loads ramp', async () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 200 }),
      fc.array(
        fc.record({ target: fc.integer({ min: 0, max: 200 }), duration: fc.integer({ min: 1, max: 3000 }) }),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      (start, stages) => {
        const ours = [...rampArrivals(start, stages)];
        const theirs = [...netTcpRamp(start, stages)];
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error('the schedules differ');
      },
    ),
    { numRuns: 300 },
  );
});
