// Fewer points for a chart than a long run recorded, none of what matters lost: an 8-hour soak has
// 28,800 one-second windows per line and 115,200 probes, more than a screen has pixels and more than a
// browser opens quickly. The x range is cut into buckets of equal time; each bucket keeps its first and
// last point and, for every series drawn at those x, the point of its lowest and of its highest value
// (so a spike or a dip one window wide still shows), and a break in a line (a null) stays a break.
// Written here rather than taken from a library: the series of a chart share their x (a stack must stay
// aligned), which the usual one-line algorithms (LTTB, M4 per series) do not keep.

// Points one chart line keeps at most: about the width of a wide screen, twice over.
export const MAX_POINTS = 4000;

// Series that share one x array.
export type Lines = { t: readonly number[]; vs: readonly (readonly (number | null)[])[] };

// The indices of `t` to keep, at most `maxPoints` of them (a bucket at least): all of them when there
// are few enough. The result is sorted and holds the first and last index.
export const keepIndices = (lines: Lines, maxPoints: number = MAX_POINTS): number[] => {
  const { t, vs } = lines;
  const n = t.length;
  if (n <= maxPoints) return t.map((_, i) => i);
  // First and last per bucket; a low, a high and a break per series.
  const perBucket = 2 + 3 * vs.length;
  const buckets = Math.max(1, Math.floor(maxPoints / perBucket));
  const t0 = t[0]!;
  const span = t[n - 1]! - t0;
  const keep = new Set<number>();
  let start = 0;
  for (let b = 0; b < buckets && start < n; b++) {
    // The bucket holds the points whose x is below its upper edge (the last bucket holds the rest).
    const edge = b === buckets - 1 ? Infinity : t0 + (span * (b + 1)) / buckets;
    let end = start;
    while (end < n && t[end]! < edge) end++;
    if (end === start) continue;
    keep.add(start).add(end - 1);
    for (const v of vs) {
      let lo = -1;
      let hi = -1;
      let brokeAt = -1;
      for (let i = start; i < end; i++) {
        const x = v[i];
        if (x === null || x === undefined) {
          if (brokeAt < 0) brokeAt = i;
          continue;
        }
        if (lo < 0 || x < v[lo]!) lo = i;
        if (hi < 0 || x > v[hi]!) hi = i;
      }
      if (lo >= 0) keep.add(lo).add(hi);
      if (brokeAt >= 0) keep.add(brokeAt);
    }
    start = end;
  }
  return [...keep].sort((a, b) => a - b);
};

// `xs` at `indices`.
export const pick = <T>(xs: readonly T[], indices: readonly number[]): T[] => indices.map((i) => xs[i]!);
