// ramping-arrival-rate (open): the start rate moves linearly through stages, k6-style; each arrival's
// time is solved exactly from the area under the rate curve, so a ramp has no step artefacts.

import * as z from 'zod';
import { formatDuration } from '../../../model/duration.ts';
import { list, positiveDuration, record } from '../../../model/fields.ts';
import { loadFields, maxSessions } from '../load-fields.ts';
import { type Segment, segmentArrivals } from '../segment.ts';
import { runShare } from './schedule.ts';
import type { LoadModel, Share } from './types.ts';

const stage = record(
  {
    target: z
      .number({ error: 'a target rate in sessions per second (0 or more)' })
      .nonnegative({ error: 'a target rate in sessions per second (0 or more)' })
      .meta({ description: 'a target rate in sessions per second (0 or more)' }),
    duration: positiveDuration('how long the ramp to the target takes'),
  },
  'a stage: { target: RATE, duration: DURATION }',
);

const schema = record(
  {
    ...loadFields,
    model: z.literal('ramping-arrival-rate'),
    startRate: z
      .number({ error: 'a start rate in sessions per second (0 or more)' })
      .nonnegative({ error: 'a start rate in sessions per second (0 or more)' })
      .default(0),
    stages: list(stage, 'a list of stages, each { target, duration }', 1),
    maxSessions,
  },
  'a ramping load: { name, via, model: ramping-arrival-rate, startRate, stages, session }',
);

const lengthMs = (spec: z.output<typeof schema>): number => spec.stages.reduce((n, s) => n + s.duration, 0);

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

// The segment's arrivals are numbered in the whole ramp, so each keeps the ramp's shape.
const share = (spec: z.output<typeof schema>, segment: Segment): Share => ({
  arrivals: segmentArrivals(segment, rampArrivals(spec.startRate, spec.stages)),
});

export const rampingArrivalRate = {
  name: 'ramping-arrival-rate',
  schema,
  describe: (spec) =>
    `ramping-arrival-rate from ${spec.startRate}/s: ${spec.stages.map((x) => `${x.target}/s over ${formatDuration(x.duration)}`).join(', ')}`,
  durationMs: lengthMs,
  // The ramp keeps its shape, its stages scaled.
  withDuration: (spec, ms) => {
    const k = ms / lengthMs(spec);
    return {
      ...spec,
      stages: spec.stages.map((s) => ({ ...s, duration: Math.max(1, Math.round(s.duration * k)) })),
    };
  },
  maxInFlight: (spec) => spec.maxSessions,
  share,
  // The schedule itself ends the ramp (its last arrival may fall on the end).
  run: (spec, start, ctx) => runShare(share(spec, ctx.segment), start, Infinity, ctx),
} satisfies LoadModel<typeof schema>;
