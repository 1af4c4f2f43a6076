// The shape every fault has (validate, inject, heal) and what a fault is given to act with.
// A fault never imports the run loop: it receives a FaultContext.

import type * as z from 'zod';
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
  kind: 'host' | 'command';
  // The target's root process.
  pid: number;
  // Every live process of the target (root and descendants), read now from /proc.
  pids: () => Promise<number[]>;
  // Host targets: a request on the host's control channel (JSON lines), answered or rejected.
  control?: (request: Record<string, unknown>) => Promise<Record<string, unknown>>;
  // Command targets: runs a command the suite named (recycle by command); resolves with its exit code.
  runCommand?: (argv: string[]) => Promise<number>;
};

// Something that must happen even if the harness dies (the watchdog does it): signal a process, or
// kill a process group.
export type Safeguard =
  { action: 'signal'; pid: number; signal: NodeJS.Signals } | { action: 'kill-group'; pgid: number };

export type FaultContext = {
  target: FaultTarget;
  // Seeded random numbers in [0, 1): choices repeat for the same suite seed.
  random: () => number;
  // Detail for the history (measured effects: achieved CPU load, new worker pid, bytes delayed).
  note: (detail: Record<string, unknown>) => void;
  // Registers a safeguard with the watchdog until the returned function is called.
  safeguard: (s: Safeguard, expiresInMs?: number) => () => void;
  // Aborted when the run stops early; long injections should stop waiting.
  signal: AbortSignal;
  // The TCP proxy in front of the target, when the suite has network faults (load and probes dial it).
  network?: NetworkProxy;
};

// A fault kind: its suite schema, a description for --dry-run, and inject/heal.
// `Active` is what heal needs, JSON-serialisable so the journal can heal it after a crash.
export type Fault<Spec extends FaultSpecBase = FaultSpecBase, Active = unknown> = {
  kind: string;
  schema: z.ZodType<Spec>;
  // Problems with this spec for this target kind (empty when fine), in the suite's error words.
  checkTarget?: (spec: Spec, target: 'host' | 'command') => string[];
  describe: (spec: Spec) => string;
  inject: (spec: Spec, ctx: FaultContext) => Promise<Active>;
  heal: (active: Active, ctx: FaultContext) => Promise<void>;
};

// A fault of any kind, as the registry holds it.
export type AnyFault = Fault<FaultSpecBase & Record<string, unknown>, unknown>;
