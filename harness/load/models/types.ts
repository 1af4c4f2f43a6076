// The shape of a load model: given its spec, it decides when sessions start.

import type { LoadSpec } from '../../suite/schema.ts';

export type ModelContext = {
  // Run time now (ms since the run started).
  now(): number;
  // Waits until run time `t` (or the stop).
  sleepUntil(t: number): Promise<void>;
  // Starts a session meant to start at run time `intended`; resolves when it completes. Open models
  // drop it (and resolve at once) when `maxSessions` are in flight.
  launch(intended: number): Promise<void>;
  // Whether the run asked load to stop early.
  stopped(): boolean;
};

export type LoadModel<Spec extends LoadSpec = LoadSpec> = {
  name: Spec['model'];
  // Schedules sessions from `start` (run time) until the model's duration ends or the run stops; resolves
  // when scheduling is over (sessions may still be in flight).
  run(spec: Spec, start: number, ctx: ModelContext): Promise<void>;
  // How long the model runs (ms), for plans and progress.
  durationMs(spec: Spec): number;
};
