// ramping-arrival-rate (open): the start rate moves linearly through stages, k6-style; each arrival's
// time is solved exactly from the area under the rate curve, so a ramp has no step artefacts.

import type { LoadSpec } from '../../suite/schema.ts';
import type { LoadModel } from './types.ts';

type Spec = Extract<LoadSpec, { model: 'ramping-arrival-rate' }>;

// Arrival times (ms from the start) for a rate that ramps linearly within each stage.
export const rampArrivals = function* (
  startRate: number,
  stages: readonly { target: number; duration: number }[],
): Generator<number> {
  let r0 = startRate;
  let offset = 0; // ms
  let carried = 0; // arrivals (fractional) before this stage
  let n = 1; // the next arrival's number
  for (const { target: r1, duration } of stages) {
    const d = duration / 1000;
    // count(t) = r0 t + (r1 - r0) t² / (2d), t in seconds
    const a = (r1 - r0) / (2 * d);
    const total = r0 * d + a * d * d;
    while (n <= carried + total + 1e-9) {
      const k = n - carried;
      const t = Math.abs(a) < 1e-12 ? k / r0 : (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * k))) / (2 * a);
      yield offset + t * 1000;
      n++;
    }
    carried += total;
    offset += duration;
    r0 = r1;
  }
};

export const rampingArrivalRate = {
  name: 'ramping-arrival-rate',
  durationMs: (spec) => spec.stages.reduce((n, s) => n + s.duration, 0),
  run: async (spec, start, ctx) => {
    for (const offset of rampArrivals(spec.startRate, spec.stages)) {
      const at = start + offset;
      if (ctx.stopped()) break;
      await ctx.sleepUntil(at);
      if (ctx.stopped()) break;
      // Open model: the schedule does not wait for sessions (the runner tracks them).
      void ctx.launch(at);
    }
  },
} satisfies LoadModel<Spec>;
