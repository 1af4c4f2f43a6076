// The shape every fault has (validate, inject, heal) and what a fault is given to act with.
// A fault never imports the run loop: it receives a FaultContext.

import type * as z from 'zod';
import type { FaultRecord } from '../model/fault-records.ts';
import type { FaultView } from '../model/fault-view.ts';
import type { History, TargetKind } from '../model/history.ts';
import type { Plugin } from '../model/plugin.ts';
import type { NetworkProxy } from './network/types.ts';

// Fields every fault spec has.
export type FaultSpecBase = {
  kind: string;
  // When to inject, from the start of the load phase (ms).
  at: number;
  // How long the fault lasts before it heals (ms); instantaneous faults have none.
  duration?: number;
};

// What a fault knows of the target it acts on.
export type FaultTarget = {
  kind: TargetKind;
  // The target's root process (none for a remote target: the harness did not start it).
  pid?: number;
  // Every live process of the target (root and descendants), read now from /proc.
  pids: () => Promise<number[]>;
  // Host targets: a request on the host's control channel (JSON lines), answered or rejected.
  control?: (request: Record<string, unknown>) => Promise<Record<string, unknown>>;
  // Command targets: runs a command the suite named (recycle by command); resolves with its exit code.
  runCommand?: (argv: string[]) => Promise<number>;
  // Where the target listens, for a user's command ({host}, {port}, {url} in its arguments).
  urls?: readonly string[];
  // Where the target listens (relative vias resolve against it).
  host?: string;
  port?: number;
  // Host targets: each service's path and configured activation delay (what a heal restores).
  services?: readonly { path: string; activationDelayMs: number }[];
  // Host targets: calls `listener` with each event the host reports (worker-activated, recycle, ...)
  // until the returned function is called.
  events?: (listener: (event: Record<string, unknown>) => void) => () => void;
  // Command targets: stops the program (its stop signal, or `signal`), waits `delayMs`,
  // starts it again with the same command and port; resolves once the new process has started. The
  // target's pid, pids() and exit follow the new process.
  restart?: (o: { delayMs: number; signal?: NodeJS.Signals }) => Promise<TargetRestart>;
};

// What a restart did: the old and new root pids, how the old one exited, and when (ms since the epoch).
export type TargetRestart = {
  oldPid: number;
  pid: number;
  exit: { code: number | null; signal: string | null };
  stoppedAt: number;
  startedAt: number;
};

// Something that must happen even if the harness dies (the watchdog does it): signal a process, or
// kill a process group.
// `starttime` (clock ticks since boot, /proc/PID/stat field 22) makes the watchdog act only on that very
// process, never on another that reused its pid.
export type Safeguard =
  | { action: 'signal'; pid: number; signal: NodeJS.Signals; starttime?: number }
  | { action: 'kill-group'; pgid: number };

export type FaultContext = {
  target: FaultTarget;
  // Seeded random numbers in [0, 1): choices repeat for the same suite seed.
  random: () => number;
  // Detail for the history (measured effects: achieved CPU load, new worker pid, bytes delayed).
  note: (detail: Record<string, unknown>) => void;
  // Registers a safeguard with the watchdog until the returned function is called.
  safeguard: (s: Safeguard) => () => void;
  // Aborted when the run stops early; long injections should stop waiting.
  signal: AbortSignal;
  // The TCP proxy in front of the target, when the suite has network faults (load and probes dial it).
  network?: NetworkProxy;
};

// A fault kind: its suite schema, a description for plans and reports, what it needs of the run, and
// inject/heal. `Active` is what heal needs, JSON-serialisable so the journal can heal it after a crash.
export type Fault<S extends z.ZodObject = z.ZodObject, Active = unknown> = Plugin<S> & {
  // Problems with this spec for this target kind (empty when fine), in the suite's error words.
  checkTarget?(spec: z.output<S>, target: TargetKind): string[];
  // It acts on a worker process of the reference host (so a forwarding route, which has none, is refused).
  readonly actsOnWorker?: boolean;
  // It acts on a TCP proxy the run puts in front of the target (load and probes then dial the proxy).
  readonly needsProxy?: boolean;
  // How long its inject may take beyond the run's step limit (ms): the time it waits on purpose (a
  // delayed restart, a duration it measures through). Without it: the spec's duration, if any.
  injectBudgetMs?(spec: z.output<S>): number;
  inject(spec: z.output<S>, ctx: FaultContext): Promise<Active>;
  heal(active: Active, ctx: FaultContext): Promise<void>;
  // Undoes what a crashed run left open, from the journal alone (no target, no context): only what
  // outlives the harness and its target, and only processes whose identity (pid and start time) still
  // matches. Resolves with what it did, one line each (empty: nothing to heal).
  recover?(active: Active): Promise<string[]>;
  // How its record (notes and errors) reads in a report: sentences and small tables, computed when the
  // run is judged (the history gives what happened around it). Without it: each note's fields in words.
  present?(record: FaultRecord, history: History): FaultView;
};

// A fault of any kind, as a registry holds it.
export type AnyFault = Fault;
