// Latency histograms (HdrHistogram, microseconds): recording, window summaries, merging windows.

import * as hdr from 'hdr-histogram-js';
import type { LatencyWindow } from './history.ts';

// One hour in microseconds: anything slower is recorded as an hour.
const HIGHEST_US = 3_600_000_000;

export type Histogram = hdr.Histogram;

// Plain 32-bit counts (about 94 KB each): a packed array would take less memory but costs several times
// more to record into and tens of ms to summarise per window, which a load paid for every call.
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
    const h = hdr.decodeFromCompressedBase64(w.hist, 'packed', false);
    out.add(h);
    h.destroy();
  }
  return out;
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
