import fc from 'fast-check';
import t from 'tap';
import { constantArrivals, rampArrivals } from '../../model/arrivals.ts';

t.test('a constant rate arrives every 1000/rate ms until the duration ends', async (t) => {
  t.same([...constantArrivals(4, 1000)], [0, 250, 500, 750]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 5000 }), (rate, ms) => {
      const a = [...constantArrivals(rate, ms)];
      return a.length === Math.ceil((rate * ms) / 1000 - 1e-9) && a.every((x) => x >= 0 && x < ms);
    }),
  );
});

t.test('a flat stage spaces arrivals evenly', async (t) => {
  const times = [...rampArrivals(10, [{ target: 10, duration: 1000 }])];
  t.equal(times.length, 10);
  t.ok(times.every((x, i) => Math.abs(x - (i + 1) * 100) < 1e-6));
});

t.test('a ramp from 0 to 20/s over 2s starts 20 sessions, more of them late', async (t) => {
  const times = [...rampArrivals(0, [{ target: 20, duration: 2000 }])];
  t.equal(times.length, 20);
  t.ok(times.filter((x) => x < 1000).length < times.filter((x) => x >= 1000).length);
  // count(t) = 5 t²: the 5th arrival comes at 1s exactly.
  t.ok(Math.abs(times[4]! - 1000) < 1e-6);
});

t.test('arrivals are increasing, inside the stages, and as many as the area under the rate', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 200 }),
      fc.array(
        fc.record({
          target: fc.integer({ min: 0, max: 200 }),
          duration: fc.integer({ min: 100, max: 3000 }),
        }),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      (startRate, stages) => {
        const times = [...rampArrivals(startRate, stages)];
        let area = 0;
        let r0 = startRate;
        for (const s of stages) {
          area += ((r0 + s.target) / 2) * (s.duration / 1000);
          r0 = s.target;
        }
        const total = stages.reduce((n, s) => n + s.duration, 0);
        return (
          times.every((x, i) => x > 0 && x <= total + 1e-6 && (i === 0 || x >= times[i - 1]!)) &&
          Math.abs(times.length - Math.floor(area + 1e-9)) <= 1
        );
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});
