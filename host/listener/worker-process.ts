// The listener's side of one worker process: forks it, hands connections to it and times each hand-off
// against dispatchTimeout, and answers for what happens to them when the worker fails or exits.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FaultName, Operation } from '../../protocol/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import {
  type DispatchFailure,
  type EventSink,
  LEAKED_HANDLE_MESSAGE,
  type WorkerStartReason,
} from '../events.ts';
import type { ActivationOrder, FromWorker, ToWorker, WorkerInit } from '../ipc.ts';
import type { Connection } from './connection.ts';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.ts', import.meta.url));
// After SIGTERM (or the end of a drain), how long a worker has before SIGKILL.
const KILL_GRACE_MS = 2000;

export type WorkerState = 'starting' | 'activating' | 'active' | 'inactive' | 'draining' | 'exited';

export type WorkerHooks = {
  // A hand-off to this worker was not taken within dispatchTimeout.
  onDispatchTimeout(w: WorkerProcess, id: number): void;
  onExit(w: WorkerProcess): void;
};

export type WorkerProcessOptions = {
  path: string;
  init: WorkerInit;
  reason: WorkerStartReason;
  dispatchTimeoutMs: number;
  events: EventSink;
  // Refuses a connection on the listener's behalf (and logs it).
  refuse: (conn: Connection, fault: FaultName, reason: string) => void;
  hooks: WorkerHooks;
};

type InFlight = { conn: Connection; timer: NodeJS.Timeout };
type Waiter = { resolve: () => void; reject: (e: Error) => void };

export class WorkerProcess {
  readonly path: string;
  readonly pid: number;
  readonly exited: Promise<void>;
  #o: WorkerProcessOptions;
  #child: ChildProcess;
  #state: WorkerState = 'starting';
  #registered = false;
  #held: Connection[] = [];
  #inflight = new Map<number, InFlight>();
  #requests = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextReq = 1;
  #activation: Waiter[] = [];
  #expected = false;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(options: WorkerProcessOptions) {
    this.#o = options;
    this.path = options.path;
    this.#child = fork(WORKER_ENTRY, [], {
      serialization: 'advanced',
      // stdout is the host's event stream: workers keep off it.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [],
    });
    if (this.#child.pid === undefined) {
      throw new HostError(HostErrorCode.ActivationFailed, `could not start a worker for ${this.path}`);
    }
    this.pid = this.#child.pid;
    this.#child.on('error', () => {});
    this.#child.on('message', (m: FromWorker) => this.#onMessage(m));
    this.exited = new Promise((resolve) =>
      this.#child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.#onClose(code, signal);
        resolve();
      }),
    );
    this.#post({ type: 'init', init: options.init });
    options.events({ event: 'worker-start', path: this.path, pid: this.pid, reason: options.reason });
  }

  get state(): WorkerState {
    return this.#state;
  }

  // Hand-offs sent and not yet taken.
  get inFlight(): number {
    return this.#inflight.size;
  }

  // Resolves when the service is next activated; rejects if that fails or the process exits first.
  whenActive(): Promise<void> {
    if (this.#state === 'active') return Promise.resolve();
    if (this.#state === 'exited') return Promise.reject(this.#gone());
    return new Promise((resolve, reject) => this.#activation.push({ resolve, reject }));
  }

  // Opens the service again in this process (on-demand activation after its registration was closed).
  activate(order: ActivationOrder): void {
    this.#state = 'activating';
    this.#post({ type: 'activate', activation: order });
  }

  // Hands a connection over; before the worker has registered it waits here, untimed.
  dispatch(conn: Connection): void {
    if (this.#state === 'exited') {
      this.#o.refuse(conn, 'ServiceActivationFailed', 'the worker is gone');
    } else if (!this.#registered) {
      this.#held.push(conn);
    } else {
      this.#send(conn);
    }
  }

  // Closes the registration: every hand-off in flight is abandoned (ConnectionDispatchFailed, the
  // leaked-handle event) and the worker takes no more connections until activated again.
  unregister(reason: string, timedOut?: number): void {
    for (const [id, f] of this.#inflight) {
      this.#abandon(id, f, id === timedOut ? 'timeout' : 'unregistered');
      this.#post({ type: 'cancel', id });
      f.conn.failHandoff('ConnectionDispatchFailed');
    }
    this.#inflight.clear();
    if (this.#state === 'draining' || this.#state === 'exited') return;
    this.#state = 'inactive';
    this.#post({ type: 'unregistered' });
    this.#o.events({ event: 'worker-unregistered', path: this.path, pid: this.pid, reason });
    // An activation cut short by the closed registration will not complete: whoever waits for it (a
    // recycle) hears so now instead of waiting for good.
    const cut = new HostError(
      HostErrorCode.ActivationFailed,
      `the registration of ${this.path} was closed before its worker activated: ${reason}`,
    );
    for (const w of this.#activation.splice(0)) w.reject(cut);
  }

  // Lets the worker finish its sessions and exit; resolves once it has (killed past the bound).
  drain(timeoutMs: number): Promise<void> {
    if (this.#state === 'exited') return this.exited;
    this.#expected = true;
    if (this.#state !== 'draining') {
      this.#state = 'draining';
      this.#post({ type: 'drain', timeoutMs });
      this.#o.events({ event: 'worker-drain', path: this.path, pid: this.pid });
      this.#killAfter(timeoutMs + KILL_GRACE_MS);
    }
    return this.exited;
  }

  // Stops the worker now (host shutdown): what it was being handed is dropped.
  terminate(): Promise<void> {
    this.#expected = true;
    for (const c of this.#held.splice(0)) c.drop();
    for (const f of this.#inflight.values()) {
      clearTimeout(f.timer);
      f.conn.drop();
    }
    this.#inflight.clear();
    if (this.#state !== 'exited') {
      this.#child.kill('SIGTERM');
      this.#killAfter(KILL_GRACE_MS);
    }
    return this.exited;
  }

  // Sends a request and waits for its reply.
  request(
    m: DistributiveOmit<Extract<ToWorker, { req: number }>, 'req'>,
    timeoutMs: number,
  ): Promise<unknown> {
    if (this.#state === 'exited') return Promise.reject(this.#gone());
    const req = this.#nextReq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#requests.delete(req);
        reject(
          new HostError(
            HostErrorCode.WorkerUnresponsive,
            `worker ${this.pid} did not answer within ${timeoutMs}ms`,
          ),
        );
      }, timeoutMs);
      this.#requests.set(req, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#post({ ...m, req });
    });
  }

  // Changes an operation's added latency in the running worker.
  setLatency(operation: Operation, ms: number): void {
    this.#post({ type: 'set-latency', operation, ms });
  }

  #post(m: ToWorker): void {
    if (this.#child.connected) this.#child.send(m, undefined, {}, () => {});
  }

  #send(conn: Connection): void {
    if (conn.left) return;
    if (conn.socket.destroyed) {
      conn.drop();
      return;
    }
    const id = conn.id;
    const bytes = conn.takeBytes();
    const timer = setTimeout(() => this.#o.hooks.onDispatchTimeout(this, id), this.#o.dispatchTimeoutMs);
    this.#inflight.set(id, { conn, timer });
    const m: ToWorker = { type: 'dispatch', id, bytes };
    this.#child.send(m, conn.socket, { keepOpen: true }, (err) => {
      if (err === null) return;
      const f = this.#inflight.get(id);
      if (f === undefined) return;
      this.#inflight.delete(id);
      this.#abandon(id, f, 'send-failed');
      // The handle never reached the worker: the listener's copy is the only one.
      f.conn.refuse('ConnectionDispatchFailed');
    });
  }

  #abandon(id: number, f: InFlight, reason: DispatchFailure): void {
    clearTimeout(f.timer);
    this.#o.events({
      event: 'dispatch-failed',
      level: 'error',
      message: LEAKED_HANDLE_MESSAGE,
      path: this.path,
      pid: this.pid,
      id,
      reason,
      ms: performance.now() - f.conn.readAt,
    });
  }

  #onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'hello':
        this.#registered = true;
        if (this.#state === 'starting') this.#state = 'activating';
        this.#o.events({ event: 'worker-registered', path: this.path, pid: this.pid });
        for (const c of this.#held.splice(0)) this.#send(c);
        break;
      case 'activated':
        if (this.#state === 'activating') this.#state = 'active';
        this.#o.events({ event: 'worker-activated', path: this.path, pid: this.pid, ms: m.ms });
        for (const w of this.#activation.splice(0)) w.resolve();
        break;
      case 'activation-failed':
        this.#activationFailed(m.reason);
        break;
      case 'took':
        this.#took(m.id);
        break;
      case 'reply':
        this.#requests.get(m.req)?.resolve(m.result);
        this.#requests.delete(m.req);
        break;
      case 'drained':
        break;
    }
  }

  #took(id: number): void {
    const f = this.#inflight.get(id);
    // Not in flight: abandoned already, and the worker has been told.
    if (f === undefined) return;
    clearTimeout(f.timer);
    this.#inflight.delete(id);
    this.#post({ type: 'go', id });
    f.conn.handedOff();
    this.#o.events({
      event: 'dispatch',
      path: this.path,
      pid: this.pid,
      id,
      ms: performance.now() - f.conn.readAt,
    });
  }

  // The worker reported the failure and closed its copies; the connections are the listener's again.
  #activationFailed(reason: string): void {
    this.#o.events({ event: 'worker-activation-failed', path: this.path, pid: this.pid, reason });
    for (const f of this.#inflight.values()) {
      clearTimeout(f.timer);
      this.#o.refuse(f.conn, 'ServiceActivationFailed', reason);
    }
    this.#inflight.clear();
    for (const c of this.#held.splice(0)) this.#o.refuse(c, 'ServiceActivationFailed', reason);
    const e = new HostError(
      HostErrorCode.ActivationFailed,
      `the worker for ${this.path} failed to activate: ${reason}`,
    );
    for (const w of this.#activation.splice(0)) w.reject(e);
  }

  #onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    this.#state = 'exited';
    for (const [id, f] of this.#inflight) {
      this.#abandon(id, f, 'worker-exit');
      // The worker's duplicate died with it: the listener's copy is the only one.
      f.conn.refuse('ConnectionDispatchFailed');
    }
    this.#inflight.clear();
    for (const c of this.#held.splice(0))
      this.#o.refuse(c, 'ServiceActivationFailed', 'the worker exited before it registered');
    for (const w of this.#activation.splice(0)) w.reject(this.#gone());
    for (const r of this.#requests.values()) r.reject(this.#gone());
    this.#requests.clear();
    this.#o.events({
      event: 'worker-exit',
      path: this.path,
      pid: this.pid,
      code,
      signal,
      expected: this.#expected,
    });
    this.#o.hooks.onExit(this);
  }

  #killAfter(ms: number): void {
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
    this.#killTimer = setTimeout(() => this.#child.kill('SIGKILL'), ms);
  }

  #gone(): HostError {
    return new HostError(HostErrorCode.NoWorker, `the worker ${this.pid} for ${this.path} has exited`);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
