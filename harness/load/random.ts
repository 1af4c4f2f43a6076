// Seeded random numbers (pure-rand's xoroshiro128+). Each purpose draws from its own stream, derived
// from the suite seed and a name, so adding a load does not change another load's payloads.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export type Random = {
  // A float in [0, 1).
  float(): number;
  // An integer in [lo, hi].
  int(lo: number, hi: number): number;
  bytes(n: number): Buffer;
};

// FNV-1a of a name, to derive a stream's seed.
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

// The stream for `purpose` under `seed`.
export const seededRandom = (seed: number, purpose: string): Random => {
  const rng = xoroshiro128plus((seed ^ fnv1a(purpose)) | 0);
  return {
    float: () => uniformFloat64(rng),
    int: (lo, hi) => uniformInt(rng, lo, hi),
    bytes: (n) => {
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) b[i] = uniformInt(rng, 0, 255);
      return b;
    },
  };
};

// A fresh seed for runs whose suite names none (recorded in the history so the run can be repeated).
export const freshSeed = (): number => Math.floor(Math.random() * 0x7fffffff);
