// What the control channel's `status` answers: the listener's queues and counters, each route, and
// each worker (with its own report when it answers in time; a worker whose event loop is blocked does not).

import type { HostErrorCodeValue } from './errors.ts';
import { isHostError } from './errors.ts';
import type { WorkerReport } from './ipc.ts';
import type { Acceptor, AcceptorCounts } from './listener/acceptor.ts';
import type { Route } from './listener/route.ts';
import type { RouteStatus } from './listener/service-route.ts';

// How long status waits for each worker's report.
const REPORT_TIMEOUT_MS = 500;

export type WorkerStatus = {
  pid: number;
  path: string;
  // The listener's view: starting, activating, active, inactive (unregistered), draining.
  state: string;
  registered: boolean;
  // Hand-offs sent to it and not yet taken.
  inFlight: number;
  responsive: boolean;
  report: WorkerReport | null;
  error?: HostErrorCodeValue;
};

export type HostStatus = {
  pid: number;
  host: string;
  port: number;
  control: string;
  listener: {
    // false once wedged (overlapped-recycle-race): connections are queued and never read.
    accepting: boolean;
    queued: number;
    reading: number;
    // Taken and not yet handed off or refused (what maxPendingConnections bounds).
    pending: number;
    counts: AcceptorCounts & {
      // Refusals by fault name, or by reason for those aborted without one.
      refused: Record<string, number>;
      dispatched: number;
      // Hand-offs that failed or timed out: each logged "this handle is now leaked".
      dispatchFailed: number;
      // Connections spliced to a forwarding route's upstream, and those refused because it was unreachable.
      forwarded: number;
      forwardFailed: number;
    };
  };
  routes: RouteStatus[];
  workers: WorkerStatus[];
};

export type StatusSources = {
  port: number;
  host: string;
  control: string;
  acceptor: Acceptor;
  counts: {
    refused: Record<string, number>;
    dispatched: number;
    dispatchFailed: number;
    forwarded: number;
    forwardFailed: number;
  };
  routes: Route[];
};

export const statusOf = async (s: StatusSources): Promise<HostStatus> => {
  const routes = s.routes.map((r) => r.status());
  const workers = await Promise.all(
    s.routes.flatMap((r, i) =>
      r.workers.map(async (w): Promise<WorkerStatus> => {
        const base = {
          pid: w.pid,
          path: w.path,
          state: w.state,
          registered: routes[i]!.workerPid === w.pid,
          inFlight: w.inFlight,
        };
        try {
          const report = (await w.request({ type: 'status' }, REPORT_TIMEOUT_MS)) as WorkerReport;
          return { ...base, responsive: true, report };
        } catch (e) {
          return { ...base, responsive: false, report: null, ...(isHostError(e) ? { error: e.code } : {}) };
        }
      }),
    ),
  );
  return {
    pid: process.pid,
    host: s.host,
    port: s.port,
    control: s.control,
    listener: {
      accepting: s.acceptor.accepting,
      queued: s.acceptor.queued,
      reading: s.acceptor.reading,
      pending: s.acceptor.pending,
      counts: { ...s.acceptor.counts, ...s.counts, refused: { ...s.counts.refused } },
    },
    routes,
    workers,
  };
};
