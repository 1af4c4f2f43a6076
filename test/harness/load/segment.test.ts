import fc from 'fast-check';
import t from 'tap';
import { owns, scale, segmentArrivals, segmentText, split, WHOLE } from '../../../harness/load/segment.ts';

t.test('every unit belongs to exactly one segment of a split', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(100_000), (n, k) => {
      return split(n).filter((s) => owns(s, k)).length === 1;
    }),
  );
  t.pass();
});

t.test("the segments' shares of a value add up to it exactly, and differ by at most one", async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(1_000_000), (n, value) => {
      const shares = split(n).map((s) => scale(s, value));
      return shares.reduce((a, b) => a + b, 0) === value && Math.max(...shares) - Math.min(...shares) <= 1;
    }),
  );
  t.pass();
});

t.test("a segment's share of a value counts the units below it that it owns", async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.nat(500), (n, value) =>
      split(n).every(
        (s) =>
          scale(s, value) === Array.from({ length: value }, (_, k) => k).filter((k) => owns(s, k)).length,
      ),
    ),
  );
  t.pass();
});

t.test('segment i of N takes every Nth arrival from the i-th, as k6 stripes an equal sequence', async (t) => {
  const whole = [10, 20, 30, 40, 50, 60, 70];
  t.same([...segmentArrivals({ index: 0, count: 3 }, whole)], [10, 40, 70]);
  t.same([...segmentArrivals({ index: 1, count: 3 }, whole)], [20, 50]);
  t.same([...segmentArrivals({ index: 2, count: 3 }, whole)], [30, 60]);
  t.same([...segmentArrivals(WHOLE, whole)], whole);
});

t.test('segments read as k6 writes them', async (t) => {
  t.equal(segmentText(WHOLE), '0:1');
  t.same(split(4).map(segmentText), ['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
});
