// The shape of a load model: its schema (its own fields; the load's other fields come from load-fields.ts
// and the load's client), how it reads in a plan, how long it runs, and, given its spec and the segment
// of it a generator runs, when sessions start (a Schedule, model/arrivals.ts), which the load's client
// follows.

import type * as z from 'zod';
import type { Schedule } from '../../../model/arrivals.ts';
import type { Plugin } from '../../../model/plugin.ts';
import type { Segment } from '../segment.ts';

export type LoadModel<S extends z.ZodObject = z.ZodObject> = Plugin<S> & {
  // Closed (the load slows down with the target) or open (sessions arrive on time whatever it does).
  readonly kind: 'closed' | 'open';
  // When the segment's sessions start: lanes (closed) or arrival times (open), in ms from the load's
  // start. Segment i of N (k6's execution segments, harness/load/segment.ts) is an open model's every
  // Nth arrival of the whole schedule from the i-th, a closed model's share of the lanes (and an open
  // model's share of its cap on sessions in flight); the segments' shares add up exactly to the whole.
  schedule(spec: z.output<S>, segment: Segment): Schedule;
  // How long the model runs (ms), for plans, progress and the fault schedule.
  durationMs(spec: z.output<S>): number;
  // The model's fields made to run `ms` instead (run --duration): constant models run for it, a ramp keeps
  // its shape. The caller keeps the load's other fields ({ ...load, ...withDuration(load, ms) }).
  withDuration(spec: z.output<S>, ms: number): z.output<S>;
};

// A model of any kind, as the registry holds it.
export type AnyModel = LoadModel;
