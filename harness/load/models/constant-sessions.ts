// constant-sessions (closed): N lanes, each starting its next session when the last one ends.
// A closed model slows down with the target, so its latency is its own: intended = actual start.

import type { LoadSpec } from '../../suite/schema.ts';
import type { LoadModel } from './types.ts';

type Spec = Extract<LoadSpec, { model: 'constant-sessions' }>;

export const constantSessions = {
  name: 'constant-sessions',
  durationMs: (spec) => spec.duration,
  run: async (spec, start, ctx) => {
    const end = start + spec.duration;
    await ctx.sleepUntil(start);
    await Promise.all(
      Array.from({ length: spec.sessions }, async () => {
        while (!ctx.stopped() && ctx.now() < end) await ctx.launch(ctx.now());
      }),
    );
  },
} satisfies LoadModel<Spec>;
