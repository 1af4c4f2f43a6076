// A running target, whatever started it: the built-in host or any program.

import type { FaultTarget } from '../../faults/types.ts';
import type { ExitInfo } from './spawned.ts';
export { TargetStartError } from '../errors.ts';

export type RunningTarget = FaultTarget & {
  // Where it listens (the host and port relative vias resolve against).
  host: string;
  port: number;
  // Where it serves HTTP, if it does (a program's httpPort): relative HTTP urls resolve against it.
  httpPort?: number | undefined;
  // The address dialled, where it is not `host` itself (a remote target's resolved name).
  ip?: string;
  // A remote target's URLs, as the suite gave them.
  urls?: readonly string[];
  // What a process is to the target, for samples and evidence (listener, worker /orders, child).
  role: (pid: number, isRoot: boolean) => string;
  exited: Promise<ExitInfo>;
  running: () => boolean;
  lastLines: () => string[];
  // Stops it (signal, grace, then kill the group); resolves once every process is gone.
  stop: () => Promise<void>;
};

// A target the harness started on this machine: its root process is known.
export type LocalTarget = RunningTarget & { pid: number };
