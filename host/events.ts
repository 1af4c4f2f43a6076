// The host's structured events: what `host/main.ts` prints as JSON lines and startHost's onEvent sees.

import type { FaultName } from '../protocol/index.ts';

// What SMSvcHost logs when a hand-off fails or times out (its event 8, word for word).
export const LEAKED_HANDLE_MESSAGE =
  'An error occurred while dispatching a duplicated socket: this handle is now leaked in the process';

export type WorkerStartReason = 'startup' | 'on-demand' | 'recycle';
export type RecycleMode = 'overlapped' | 'stop-start';

// Why a hand-off failed: it timed out, its worker was unregistered meanwhile (another hand-off to the
// same worker timed out), the worker exited, or the handle could not be sent.
export type DispatchFailure = 'timeout' | 'unregistered' | 'worker-exit' | 'send-failed';

type Worker = { path: string; pid: number };

export type HostEventBody =
  | { event: 'listening'; host: string; port: number }
  | ({ event: 'worker-start'; reason: WorkerStartReason } & Worker)
  // The worker is up and registered: connections may be handed to it.
  | ({ event: 'worker-registered' } & Worker)
  // Its service finished activating (after activation.delay); it takes connections from here on.
  | ({ event: 'worker-activated'; ms: number } & Worker)
  | ({ event: 'worker-activation-failed'; reason: string } & Worker)
  // The listener closed the worker's registration; it keeps its sessions but gets no connections.
  | ({ event: 'worker-unregistered'; reason: string } & Worker)
  | ({ event: 'worker-drain' } & Worker)
  | ({ event: 'worker-exit'; code: number | null; signal: string | null; expected: boolean } & Worker)
  // A connection was handed to a worker and the worker took it; ms from the preamble read to taken.
  | ({ event: 'dispatch'; id: number; ms: number } & Worker)
  | ({
      event: 'dispatch-failed';
      level: 'error';
      message: typeof LEAKED_HANDLE_MESSAGE;
      id: number;
      reason: DispatchFailure;
      ms: number;
    } & Worker)
  // A connection refused by the listener: with a fault record, or aborted (fault null).
  | { event: 'refused'; fault: FaultName | null; reason: string; id?: number; path?: string; via?: string }
  // A connection on a forwarding route is spliced to its upstream (ms: from the preamble read to
  // connected); `via` is the via the upstream was sent.
  | { event: 'forward-open'; path: string; id: number; to: string; via: string; ms: number }
  // The upstream could not be reached; the client got EndpointUnavailable.
  | { event: 'forward-failed'; path: string; id: number; to: string; reason: string; ms: number }
  // A spliced connection closed: how, which side first, and the bytes each way (the replayed preamble in up).
  | {
      event: 'forward-closed';
      path: string;
      id: number;
      how: 'ended' | 'reset' | 'error' | 'closed';
      side?: 'client' | 'upstream';
      reason?: string;
      up: number;
      down: number;
      ms: number;
    }
  | { event: 'recycle-start'; path: string; mode: RecycleMode; oldPid: number | null }
  | { event: 'recycle'; path: string; mode: RecycleMode; oldPid: number | null; newPid: number; ms: number }
  | { event: 'recycle-failed'; path: string; mode: RecycleMode; reason: string }
  // A control command that changes something (status is not logged).
  | { event: 'control'; command: string; path?: string; [detail: string]: unknown };

// An event with its wall-clock time (ms since the epoch), so it lines up with the harness's history.
export type HostEvent = HostEventBody & { t: number };

export type EventSink = (e: HostEventBody) => void;
