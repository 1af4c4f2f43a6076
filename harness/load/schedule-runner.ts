// Follows a model's schedule one session at a time: a client that launches sessions itself (the net.tcp
// client) calls `launch` for each lane's next session (closed) or each arrival (open) here.

import type { Schedule } from '../../model/arrivals.ts';

export type LaunchContext = {
  // Run time now (ms since the run started).
  now(): number;
  // Waits until run time `t` (or the stop).
  sleepUntil(t: number): Promise<void>;
  // Starts a session meant to start at run time `intended`; resolves when it completes.
  launch(intended: number): Promise<void>;
  // Whether load was asked to stop.
  stopped(): boolean;
};

// Launches sessions from `start` (run time) until the schedule ends or load stops; resolves when
// scheduling is over (sessions of an open schedule may still be in flight).
export const runSchedule = async (s: Schedule, start: number, ctx: LaunchContext): Promise<void> => {
  if (s.kind === 'closed') {
    const end = start + s.durationMs;
    await ctx.sleepUntil(start);
    await Promise.all(
      Array.from({ length: s.lanes }, async () => {
        while (!ctx.stopped() && ctx.now() < end) await ctx.launch(ctx.now());
      }),
    );
    return;
  }
  const arrivals = s.arrivals();
  for (let next = arrivals.next(); !next.done; next = arrivals.next()) {
    const at = start + next.value;
    if (ctx.stopped()) break;
    await ctx.sleepUntil(at);
    if (ctx.stopped()) break;
    // Open: the schedule does not wait for sessions (the client tracks them).
    void ctx.launch(at);
  }
};
