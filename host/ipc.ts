// Messages between the listener and a worker over the IPC channel of the worker process: the
// named-pipe conversation SMSvcHost has with a worker, with Node's handle passing standing in for
// DuplicateHandle. Sent with serialization 'advanced', so byte arrays cross as they are.

import type { Defect, ServiceConfig } from './config.ts';
import type { Operation } from '../protocol/index.ts';

// What a worker is told when it starts.
export type WorkerInit = {
  service: ServiceConfig;
  defects: Defect[];
  // The rest of the preamble (after the bytes the listener read) must arrive within this.
  receiveTimeoutMs: number;
  activation: ActivationOrder;
};

// One activation of the worker's service: how long it takes, and whether it fails.
export type ActivationOrder = { delayMs: number; fail: boolean };

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  // Re-open the service after the registration was closed (on-demand activation of a live worker).
  | { type: 'activate'; activation: ActivationOrder }
  // A hand-off: the socket travels as the message's handle, `bytes` are what the listener read.
  | { type: 'dispatch'; id: number; bytes: Uint8Array }
  // The listener saw the worker take the connection in time: serve it.
  | { type: 'go'; id: number }
  // The hand-off was abandoned (timed out, or the registration closed): the connection is not yours.
  | { type: 'cancel'; id: number }
  // The registration was closed: take no more connections until told to activate again.
  | { type: 'unregistered' }
  | { type: 'drain'; timeoutMs: number }
  | { type: 'set-latency'; operation: Operation; ms: number }
  // Requests answered with a `reply` carrying the same req.
  | { type: 'status'; req: number }
  | { type: 'burn'; req: number; ms: number }
  | { type: 'direct'; req: number };

export type FromWorker =
  // Up and registered: hand-offs may be sent.
  | { type: 'hello' }
  | { type: 'activated'; ms: number }
  | { type: 'activation-failed'; reason: string }
  // The worker has taken a handed-off connection (a session slot is reserved for it).
  | { type: 'took'; id: number }
  | { type: 'reply'; req: number; result: unknown }
  | { type: 'drained' };

// What a worker reports about itself.
export type WorkerReport = {
  pid: number;
  state: string;
  sessions: number;
  // Handed-off connections waiting for the worker to take them.
  waiting: number;
  calls: { active: number; queued: number; limit: number };
  sessionLimit: number;
  // Pre-dispatch hooks running now, and the most that ever ran at once.
  hooks: { running: number; peak: number };
  // Sockets whose hand-off was abandoned and that this worker still holds (leak-on-dispatch-timeout).
  orphaned: number;
  latencies: Partial<Record<Operation, number>>;
  directPort: number | null;
  // Connections kept after a clean End, waiting for the client's next session; and how many came back
  // with one since the worker started.
  idle: number;
  reused: number;
};
