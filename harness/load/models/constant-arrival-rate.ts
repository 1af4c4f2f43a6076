// constant-arrival-rate (open): sessions start at a fixed rate whatever the target does; a session that
// cannot start because maxSessions are in flight is dropped, and lateness counts as latency.

import * as z from 'zod';
import { positiveDuration, positiveNumber, record } from '../../../model/fields.ts';
import { loadFields, maxSessions } from '../load-fields.ts';
import type { Segment } from '../segment.ts';
import { runShare } from './schedule.ts';
import type { LoadModel, Share } from './types.ts';

const schema = record(
  {
    ...loadFields,
    model: z.literal('constant-arrival-rate'),
    rate: positiveNumber('a positive number of sessions per second'),
    duration: positiveDuration('how long the load runs'),
    maxSessions,
  },
  'an open load: { name, via, model: constant-arrival-rate, rate, duration, session }',
);

// Arrival k of the whole comes at k / rate; the segment's are every Nth from its index.
function* arrivals(rate: number, duration: number, segment: Segment): Generator<number> {
  const interval = 1000 / rate;
  for (let k = segment.index; k * interval < duration; k += segment.count) yield k * interval;
}

const share = (spec: z.output<typeof schema>, segment: Segment): Share => ({
  arrivals: arrivals(spec.rate, spec.duration, segment),
});

export const constantArrivalRate = {
  name: 'constant-arrival-rate',
  schema,
  describe: (spec) => `constant-arrival-rate ${spec.rate} sessions/s`,
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
  maxInFlight: (spec) => spec.maxSessions,
  share,
  // The schedule itself ends at the duration.
  run: (spec, start, ctx) => runShare(share(spec, ctx.segment), start, Infinity, ctx),
} satisfies LoadModel<typeof schema>;
