// constant-arrival-rate (open): sessions start at a fixed rate whatever the target does; a session that
// cannot start because maxSessions are in flight is dropped, and lateness counts as latency.

import * as z from 'zod';
import { constantArrivals } from '../../../model/arrivals.ts';
import { positiveDuration, positiveNumber, record } from '../../../model/fields.ts';
import { maxSessions } from '../load-fields.ts';
import { scale, segmentArrivals } from '../segment.ts';
import type { LoadModel } from './types.ts';

const schema = record(
  {
    model: z.literal('constant-arrival-rate'),
    rate: positiveNumber('a positive number of sessions per second'),
    duration: positiveDuration('how long the load runs'),
    maxSessions,
  },
  'an open load: { name, model: constant-arrival-rate, rate, duration, maxSessions, ... }',
);

export const constantArrivalRate = {
  name: 'constant-arrival-rate',
  schema,
  kind: 'open',
  describe: (spec) => `constant-arrival-rate ${spec.rate} sessions/s`,
  // The segment's arrivals are numbered in the whole schedule, so each keeps its shape.
  schedule: (spec, segment) => ({
    kind: 'open',
    arrivals: () => segmentArrivals(segment, constantArrivals(spec.rate, spec.duration)),
    durationMs: spec.duration,
    maxInFlight: scale(segment, spec.maxSessions),
  }),
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
} satisfies LoadModel<typeof schema>;
