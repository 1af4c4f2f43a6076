// Execution segments, k6's way of splitting one load between several generators: segment i of N is the
// part (i/N, (i+1)/N] of the whole. For the sequence 0, 1/N, ..., 1 k6's striping gives segment i every
// Nth unit of work from the i-th (arrivals by their number in the whole schedule, lanes of a closed
// model by theirs), so the segments are disjoint, add up exactly to the whole, and each is spread evenly
// over the run. A segment needs to know only its index and N: no coordinator hands out work.

// Segment `index` (0-based) of `count` equal segments.
export type Segment = { index: number; count: number };

// The whole load: one segment.
export const WHOLE: Segment = { index: 0, count: 1 };

// Whether unit `k` of the whole (0-based: an arrival's number in the schedule, a lane's number) is the
// segment's.
export const owns = (s: Segment, k: number): boolean => k % s.count === s.index;

// How many of `value` units (sessions, lanes, a cap on sessions in flight) are the segment's: the units
// 0 .. value-1 it owns, so the segments' shares of any value add up to it exactly.
export const scale = (s: Segment, value: number): number =>
  value <= s.index ? 0 : Math.floor((value - 1 - s.index) / s.count) + 1;

// The segments of an N-way split, in order.
export const split = (count: number): Segment[] =>
  Array.from({ length: count }, (_, index) => ({ index, count }));

// A segment as k6 writes it: from:to as fractions of the whole (1/4:1/2).
export const segmentText = (s: Segment): string =>
  s.count === 1
    ? '0:1'
    : `${s.index === 0 ? '0' : `${s.index}/${s.count}`}:${s.index + 1 === s.count ? '1' : `${s.index + 1}/${s.count}`}`;

// The arrivals of a schedule (offsets in ms, in order) that are the segment's; the whole's numbers them.
export const segmentArrivals = function* (s: Segment, whole: Iterable<number>): Generator<number> {
  let k = 0;
  for (const at of whole) {
    if (owns(s, k)) yield at;
    k++;
  }
};
