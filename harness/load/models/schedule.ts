// Running a share of a load: an open model's arrivals, each session started at its time whatever the
// target does; a closed model's lanes, each starting its next session when the last one ends.

import type { ModelContext, Share } from './types.ts';

// Starts the share's sessions from `start` (run time) until `end` (a closed model's; an open model's
// arrivals end with its schedule) or the stop.
export const runShare = async (
  share: Share,
  start: number,
  end: number,
  ctx: ModelContext,
): Promise<void> => {
  if ('sessions' in share) {
    await ctx.sleepUntil(start);
    await Promise.all(
      Array.from({ length: share.sessions }, async () => {
        while (!ctx.stopped() && ctx.now() < end) await ctx.launch(ctx.now());
      }),
    );
    return;
  }
  for (const offset of share.arrivals) {
    const at = start + offset;
    if (at >= end || ctx.stopped()) break;
    await ctx.sleepUntil(at);
    if (ctx.stopped()) break;
    // Open model: the schedule does not wait for sessions (the runner tracks them).
    void ctx.launch(at);
  }
};
