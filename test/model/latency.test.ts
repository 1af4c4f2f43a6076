import fc from 'fast-check';
import t from 'tap';
import {
  mergeSummaries,
  mergeWindows,
  newHistogram,
  percentilesMs,
  recordMs,
  summarise,
} from '../../model/latency.ts';

const summaryOf = (values: readonly number[]) => {
  const h = newHistogram();
  for (const v of values) recordMs(h, v);
  const s = summarise(h);
  h.destroy();
  return s;
};

const latency = fc.double({ min: 0.001, max: 600_000, noNaN: true });

t.test("merged windows' percentiles are those of one histogram of all their samples", async (t) => {
  fc.assert(
    fc.property(fc.array(fc.array(latency, { maxLength: 60 }), { minLength: 1, maxLength: 6 }), (parts) => {
      const merged = mergeSummaries(parts.map(summaryOf));
      const whole = summaryOf(parts.flat());
      return (
        merged.count === whole.count &&
        merged.p50 === whole.p50 &&
        merged.p90 === whole.p90 &&
        merged.p99 === whole.p99 &&
        merged.max === whole.max
      );
    }),
    { numRuns: 200 },
  );
  t.pass();
});

t.test('percentiles of two very different windows are not the average of theirs', async (t) => {
  const fast = summaryOf(Array.from({ length: 99 }, () => 1));
  const slow = summaryOf([1000]);
  const merged = mergeSummaries([fast, slow]);
  t.equal(merged.count, 100);
  t.ok(merged.p50 < 1.01, `p50 ${merged.p50}`);
  t.ok(merged.max > 999, `max ${merged.max}`);
});

t.test('empty windows merge to an empty one', async (t) => {
  const empty = summaryOf([]);
  t.same(mergeSummaries([empty, empty]), empty);
  const h = mergeWindows([]);
  t.equal(percentilesMs(h).count, 0);
  h.destroy();
});

t.test('windows encoded by the packed histograms of earlier versions still decode', async (t) => {
  // Encoded by hdr-histogram-js with bitBucketSize 'packed' (values 1ms, 2ms, 3ms).
  const hdr = await import('hdr-histogram-js');
  const packed = hdr.build({
    bitBucketSize: 'packed',
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  for (const v of [1000, 2000, 3000]) packed.recordValue(v);
  const hist = hdr.encodeIntoCompressedBase64(packed);
  const merged = mergeSummaries([{ count: 3, p50: 2, p90: 3, p99: 3, max: 3, hist }]);
  t.equal(merged.count, 3);
  t.equal(merged.p50, 2);
});
