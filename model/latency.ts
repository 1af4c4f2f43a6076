// Latency histograms (HdrHistogram, microseconds): recording, window summaries, merging windows.
// 32-bit buckets: about 94 KB a histogram (packed ones are smaller when sparse), but a record costs about a
// microsecond instead of 4-12 and a window's summary a few milliseconds instead of up to 140, measured side
// by side (packed arrays find every bucket through an index). Windows merge exactly: bucket counts add.

import * as hdr from 'hdr-histogram-js';
import type { LatencyWindow } from './history.ts';

// One hour in microseconds: anything slower is recorded as an hour.
const HIGHEST_US = 3_600_000_000;

export type Histogram = hdr.Histogram;

// A histogram of plain 32-bit counts (see above).
export const newHistogram = (): Histogram =>
  hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

// Records a latency in milliseconds.
export const recordMs = (h: Histogram, ms: number): void => {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
};

// Summarises a histogram (ms) with its encoding, for a LoadSample.
export const summarise = (h: Histogram): LatencyWindow => ({
  count: h.totalCount,
  p50: h.getValueAtPercentile(50) / 1000,
  p90: h.getValueAtPercentile(90) / 1000,
  p99: h.getValueAtPercentile(99) / 1000,
  max: h.maxValue / 1000,
  hist: h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h),
});

// Merges encoded windows into one histogram.
export const mergeWindows = (windows: readonly LatencyWindow[]): Histogram => {
  const out = newHistogram();
  for (const w of windows) {
    if (w.hist === '') continue;
    const h = hdr.decodeFromCompressedBase64(w.hist, 32, false);
    out.add(h);
    h.destroy();
  }
  return out;
};

// Windows of the same stretch (one per generator) as one: counts add, percentiles are those of the merged
// histogram (never an average of percentiles), the max the largest recorded (a decoded histogram knows
// only its bucket).
export const mergeSummaries = (windows: readonly LatencyWindow[]): LatencyWindow => {
  const h = mergeWindows(windows);
  const s = summarise(h);
  h.destroy();
  return { ...s, max: windows.reduce((m, w) => (w.count > 0 ? Math.max(m, w.max) : m), 0) };
};

// Percentiles (ms) of a merged histogram.
export const percentilesMs = (
  h: Histogram,
): { count: number; p50: number; p90: number; p99: number; max: number } => ({
  count: h.totalCount,
  p50: h.getValueAtPercentile(50) / 1000,
  p90: h.getValueAtPercentile(90) / 1000,
  p99: h.getValueAtPercentile(99) / 1000,
  max: h.maxValue / 1000,
});
