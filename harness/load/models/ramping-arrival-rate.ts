// ramping-arrival-rate (open): the start rate moves linearly through stages, k6-style; each arrival's
// time is solved exactly from the area under the rate curve (model/arrivals.ts), so a ramp has no step
// artefacts.

import * as z from 'zod';
import { rampArrivals } from '../../../model/arrivals.ts';
import { formatDuration } from '../../../model/duration.ts';
import { list, positiveDuration, record } from '../../../model/fields.ts';
import { maxSessions } from '../load-fields.ts';
import { scale, segmentArrivals } from '../segment.ts';
import type { LoadModel } from './types.ts';

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
    model: z.literal('ramping-arrival-rate'),
    startRate: z
      .number({ error: 'a start rate in sessions per second (0 or more)' })
      .nonnegative({ error: 'a start rate in sessions per second (0 or more)' })
      .default(0),
    stages: list(stage, 'a list of stages, each { target, duration }', 1),
    maxSessions,
  },
  'a ramping load: { name, model: ramping-arrival-rate, startRate, stages, maxSessions, ... }',
);

const lengthMs = (spec: z.output<typeof schema>): number => spec.stages.reduce((n, s) => n + s.duration, 0);

export const rampingArrivalRate = {
  name: 'ramping-arrival-rate',
  schema,
  kind: 'open',
  describe: (spec) =>
    `ramping-arrival-rate from ${spec.startRate}/s: ${spec.stages.map((x) => `${x.target}/s over ${formatDuration(x.duration)}`).join(', ')}`,
  // The segment's arrivals are numbered in the whole schedule, so each keeps its shape.
  schedule: (spec, segment) => ({
    kind: 'open',
    arrivals: () => segmentArrivals(segment, rampArrivals(spec.startRate, spec.stages)),
    durationMs: lengthMs(spec),
    maxInFlight: scale(segment, spec.maxSessions),
  }),
  durationMs: lengthMs,
  // The ramp keeps its shape, its stages scaled.
  withDuration: (spec, ms) => {
    const k = ms / lengthMs(spec);
    return {
      ...spec,
      stages: spec.stages.map((s) => ({ ...s, duration: Math.max(1, Math.round(s.duration * k)) })),
    };
  },
} satisfies LoadModel<typeof schema>;
