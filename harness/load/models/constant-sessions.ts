// constant-sessions (closed): N lanes, each starting its next session when the last one ends.
// A closed model slows down with the target, so its latency is its own: intended = actual start.

import * as z from 'zod';
import { positiveDuration, positiveInt, record } from '../../../model/fields.ts';
import { loadFields } from '../load-fields.ts';
import type { LoadModel } from './types.ts';

const schema = record(
  {
    ...loadFields,
    model: z.literal('constant-sessions'),
    sessions: positiveInt('a positive number of concurrent sessions'),
    duration: positiveDuration('how long the load runs'),
  },
  'a closed load: { name, via, model: constant-sessions, sessions, duration, session }',
);

export const constantSessions = {
  name: 'constant-sessions',
  schema,
  describe: (spec) => `constant-sessions ${spec.sessions} at once`,
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
  run: async (spec, start, ctx) => {
    const end = start + spec.duration;
    await ctx.sleepUntil(start);
    await Promise.all(
      Array.from({ length: spec.sessions }, async () => {
        while (!ctx.stopped() && ctx.now() < end) await ctx.launch(ctx.now());
      }),
    );
  },
} satisfies LoadModel<typeof schema>;
