// What the phases of a run share: the suite, the history, the watchdog and journal, what has started so
// far (target, proxy, load, faults), why the run is invalid if it is, and what to stop at the end.

import type { NetworkProxy } from '../../faults/network/types.ts';
import type { Phase } from '../../model/history.ts';
import type { Invalid, InvalidCode } from '../../model/result.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { LoadTarget } from '../load/clients/types.ts';
import type { ParsedSuite } from '../suite/schema.ts';
import type { SuiteRun } from '../suite/variants.ts';
import type { RunningTarget } from '../target/types.ts';
import type { Watchdog } from '../target/watchdog.ts';
import type { FaultTimeline } from './fault-timeline.ts';
import type { Journal } from './journal.ts';

export type LogLevel = 'info' | 'warn' | 'error';

// What drives the run's load: the load runner in this process, or the pool of generator processes.
export type LoadDriver = {
  start(): void;
  // Resolves when every load's model has run its course (or load was stopped).
  readonly done: Promise<void>;
  // Stops starting sessions; those in flight may finish for drainMs, then are cut off.
  stop(drainMs: number): Promise<void>;
  // Records each load's window since the last call.
  emitWindows(): void | Promise<void>;
};

export type RunContext = {
  run: SuiteRun;
  suite: ParsedSuite;
  seed: number;
  // The run's folder (OUT/<suite>/).
  dir: string;
  // Aborted by SIGINT/SIGTERM/SIGHUP: load stops, faults heal, the target stops, reports are still written.
  signal: AbortSignal;
  h: HistoryWriter;
  watchdog: Watchdog;
  journal?: Journal;
  target?: RunningTarget;
  proxy?: NetworkProxy;
  runner?: LoadDriver;
  timeline?: FaultTimeline;
  // Why the run is invalid (the first reason wins).
  invalid?: Invalid;
  // Set once the run tears down: the target exiting then is expected.
  stopping: boolean;
  started: number;
  // Stops run in reverse order of registration (the last thing started stops first).
  stops: (() => Promise<void> | void)[];
};

// A harness log line in the history.
export const log = (
  ctx: RunContext,
  level: LogLevel,
  message: string,
  data?: Record<string, unknown>,
): void =>
  ctx.h.append({
    t: ctx.h.now(),
    kind: 'log',
    level,
    source: 'harness',
    message,
    ...(data === undefined ? {} : { data }),
  });

// A phase change in the history, with how long it is meant to last when that is known.
export const phase = (ctx: RunContext, p: Phase, plannedMs?: number): void =>
  ctx.h.append({
    t: ctx.h.now(),
    kind: 'phase',
    phase: p,
    ...(plannedMs === undefined ? {} : { plannedMs }),
  });

// Marks the run invalid; the first reason is the one reported.
export const invalidate = (ctx: RunContext, code: InvalidCode, message: string): void => {
  ctx.invalid ??= { code, message };
};

// Registers something to stop when the run ends, however it ends.
export const onStop = (ctx: RunContext, stop: () => Promise<void> | void): void => {
  ctx.stops.push(stop);
};

// Stops everything registered, last first; each at most once, so it is safe to call twice.
export const stopAll = async (ctx: RunContext): Promise<void> => {
  ctx.stopping = true;
  while (ctx.stops.length > 0) await ctx.stops.pop()!();
};

// Where the run's loads and probes go: the target's addresses, and the network proxy that relative vias
// dial instead while a fault needs one.
export const loadTargetOf = (ctx: RunContext, target: RunningTarget): LoadTarget => ({
  host: target.host,
  ip: target.ip,
  port: target.port,
  httpPort: target.httpPort,
  proxy: ctx.proxy,
});
