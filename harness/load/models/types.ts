// The shape of a load model: its schema (the load's fields), how it reads in a plan, how long it runs,
// and, given its spec and the segment of it a generator runs, when sessions start.

import type * as z from 'zod';
import type { Plugin } from '../../../model/plugin.ts';
import type { Segment } from '../segment.ts';

// What one segment of a load runs: an open model's arrivals (ms from the load's start, in order), or a
// closed model's lanes (sessions kept going back to back).
export type Share = { arrivals: Iterable<number> } | { sessions: number };

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
  // The part of the load this generator runs (the whole when there is one).
  segment: Segment;
};

export type LoadModel<S extends z.ZodObject = z.ZodObject> = Plugin<S> & {
  // Schedules the segment's sessions from `start` (run time) until the model's duration ends or the run
  // stops; resolves when scheduling is over (sessions may still be in flight).
  run(spec: z.output<S>, start: number, ctx: ModelContext): Promise<void>;
  // Segment i of N of the load (k6's execution segments, harness/load/segment.ts): an open model's every
  // Nth arrival of the whole schedule from the i-th, a closed model's share of the lanes; the segments'
  // shares add up exactly to the whole.
  share(spec: z.output<S>, segment: Segment): Share;
  // How long the model runs (ms), for plans, progress and the fault schedule.
  durationMs(spec: z.output<S>): number;
  // The spec made to run `ms` instead (run --duration): constant models run for it, a ramp keeps its shape.
  withDuration(spec: z.output<S>, ms: number): z.output<S>;
  // Open models: how many sessions may be in flight before new ones are dropped.
  maxInFlight?(spec: z.output<S>): number;
};

// A model of any kind, as the registry holds it.
export type AnyModel = LoadModel;
