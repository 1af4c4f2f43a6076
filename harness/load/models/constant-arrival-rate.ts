// constant-arrival-rate (open): sessions start at a fixed rate whatever the target does; a session that
// cannot start because maxSessions are in flight is dropped, and lateness counts as latency.

import type { LoadSpec } from '../../suite/schema.ts';
import type { LoadModel } from './types.ts';

type Spec = Extract<LoadSpec, { model: 'constant-arrival-rate' }>;

export const constantArrivalRate = {
  name: 'constant-arrival-rate',
  durationMs: (spec) => spec.duration,
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
} satisfies LoadModel<Spec>;
