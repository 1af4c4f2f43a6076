// constant-arrival-rate (open): sessions start at a fixed rate whatever the target does; a session that
// cannot start because maxSessions are in flight is dropped, and lateness counts as latency.

import * as z from 'zod';
import { positiveDuration, positiveNumber, record } from '../../../model/fields.ts';
import { loadFields, maxSessions } from '../load-fields.ts';
import type { LoadModel } from './types.ts';

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

export const constantArrivalRate = {
  name: 'constant-arrival-rate',
  schema,
  describe: (spec) => `constant-arrival-rate ${spec.rate} sessions/s`,
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
  maxInFlight: (spec) => spec.maxSessions,
  run: async (spec, start, ctx) => {
    const interval = 1000 / spec.rate;
    const end = start + spec.duration;
    for (let i = 0; ; i++) {
      const at = start + i * interval;
      if (at >= end || ctx.stopped()) break;
      await ctx.sleepUntil(at);
      if (ctx.stopped()) break;
      // Open model: the schedule does not wait for sessions (the runner tracks them).
      void ctx.launch(at);
    }
  },
} satisfies LoadModel<typeof schema>;
