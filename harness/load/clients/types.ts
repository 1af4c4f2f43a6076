// The shape of a load client (`client:` in a load): its schema (the fields it adds to a load: where the
// load goes and what it sends), how it reads in a plan, how it runs a load on its model's schedule, the
// listener probe it makes, and the cross-field rules its fields have.

import type * as z from 'zod';
import type { Schedule } from '../../../model/arrivals.ts';
import type { OpEvent } from '../../../model/history.ts';
import type { Plugin } from '../../../model/plugin.ts';
import type { ListenerProbe } from '../../observe/probe.ts';
import type { RawIssue } from '../../suite/rules/raw.ts';
import type { LoadSpec, ParsedSuite } from '../../suite/schema.ts';
import type { LoadStats } from '../stats.ts';

// Where a run's loads go: the target's net.tcp address and, when it serves HTTP, its HTTP port (relative
// vias and urls resolve against them); and the network proxy that relative vias dial instead, when a fault
// needs one.
export type LoadTarget = {
  host: string;
  // The address dialled, where it is not `host` itself (a remote target's resolved name).
  ip?: string | undefined;
  port: number;
  httpPort?: number | undefined;
  proxy?: { host: string; port: number } | undefined;
};

// What the LoadRunner gives a client for one load.
export type ClientContext = {
  // The load's name (its ops and samples carry it).
  name: string;
  // When sessions start, from the load's model.
  schedule: Schedule;
  // Run time the schedule starts at (the load's startAt from the start of load).
  start: number;
  // Counts and latencies per window: every session started, dropped, each call, each finished session.
  stats: LoadStats;
  // Run time now.
  now(): number;
  // Appends one finished session to the History.
  op(e: OpEvent): void;
  seed: number;
  allowRemote: boolean;
  target: LoadTarget;
};

// One running load.
export type ClientLoad = {
  // Resolves when the schedule is over (sessions may still be in flight).
  done: Promise<void>;
  // Stops starting sessions, lets those in flight finish for up to drainMs, then cuts the rest (ops of
  // type info). Calling it again waits for the first call.
  stop(drainMs: number): Promise<void>;
};

export type { ListenerProbe } from '../../observe/probe.ts';

// What a listener probe needs besides its address.
export type ProbeEnv = {
  target: LoadTarget;
  // Calls per probe session (net.tcp; an HTTP probe is one request).
  calls: number;
  allowRemote: boolean;
  // The suite's loads: a probe speaks as the loads of its client on its address do.
  loads: readonly LoadSpec[];
};

export type LoadClient<S extends z.ZodObject = z.ZodObject> = Plugin<S> & {
  // The field that says where its loads go and its probe field's name (via, url), for plans.
  readonly addressField: string;
  // Starts one load (its model's fields are in ctx.schedule); records into ctx.stats and ctx.op.
  start(spec: z.output<S>, ctx: ClientContext): ClientLoad;
  // The address of the suite this client's listener probe reaches (its field in the probe block, else its
  // default), or undefined when it probes nothing in this suite.
  probeAddress(suite: ParsedSuite): string | undefined;
  // The probe of a listener at `address` (relative to the target, or absolute).
  prober(address: string, env: ProbeEnv): ListenerProbe;
  // Problems across fields of the raw suite (the loads of this client, its probe field), reported with the
  // schema's, each at its place in the file.
  rules?(raw: Record<string, unknown>): RawIssue[];
};

// A client of any kind, as the registry holds it.
export type AnyClient = LoadClient;
