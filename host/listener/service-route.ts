// One registered path and the workers behind it: routing a connection to the registered worker,
// on-demand activation, the registration closed by a failed hand-off, pause, and recycles.

import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  type Defect,
  type ForwardViaMode,
  type ServiceConfig,
  type SharingConfig,
} from '../config.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { EventSink, RecycleMode, WorkerStartReason } from '../events.ts';
import type { ActivationOrder } from '../ipc.ts';
import type { FaultName, Operation } from '../../protocol/index.ts';
import type { Connection } from './connection.ts';
import { WorkerProcess } from './worker-process.ts';

export type RouteContext = {
  sharing: SharingConfig;
  defects: readonly Defect[];
  events: EventSink;
  refuse: (conn: Connection, fault: FaultName, reason: string) => void;
  // An overlapped recycle completed while overlapped-recycle-race is on.
  onOverlappedRecycle: () => void;
};

export type RecycleResult = { path: string; mode: RecycleMode; oldPid: number | null; newPid: number };

export type RouteStatus = {
  path: string;
  paused: boolean;
  // registered: a worker takes connections; activating: one is starting; recycling: a stop-start gap;
  // unregistered: none (a startup service whose registration was closed); idle: on-demand, none yet;
  // forwarding: no worker, connections are spliced to an upstream.
  state: 'registered' | 'activating' | 'recycling' | 'unregistered' | 'idle' | 'forwarding';
  workerPid: number | null;
  // Forwarding routes only.
  forward?: ForwardStatus;
};

// A forwarding route's upstream and its spliced connections.
export type ForwardStatus = {
  to: string;
  via: ForwardViaMode;
  // Spliced now; spliced since the start; refused because the upstream could not be reached.
  open: number;
  opened: number;
  failed: number;
};

export class ServiceRoute {
  readonly path: string;
  // This path's service as new workers get it (set-latency changes it).
  readonly service: ServiceConfig;
  #ctx: RouteContext;
  #paused = false;
  #worker: WorkerProcess | undefined;
  // Live workers that are not registered: unregistered after a failed hand-off, or draining.
  #others = new Set<WorkerProcess>();
  #waiting: Connection[] = [];
  #recycling = false;
  #closing = false;
  #delay: { ms: number; once: boolean } | undefined;
  #failures = 0;

  constructor(service: ServiceConfig, ctx: RouteContext) {
    this.path = service.path;
    this.service = structuredClone(service);
    this.#ctx = ctx;
  }

  get paused(): boolean {
    return this.#paused;
  }

  // Every live worker of this path, the registered one first.
  get workers(): WorkerProcess[] {
    return [...(this.#worker === undefined ? [] : [this.#worker]), ...this.#others];
  }

  // Starts the worker of a startup service and waits for its activation.
  async start(): Promise<void> {
    if (this.service.activation.mode !== 'startup') return;
    const w = this.#spawn('startup');
    this.#worker = w;
    await w.whenActive();
  }

  // Routes a connection whose via matched this path.
  accept(conn: Connection): void {
    if (this.#closing) {
      conn.drop();
      return;
    }
    if (this.#paused) {
      this.#ctx.refuse(conn, 'EndpointUnavailable', 'the route is paused');
      return;
    }
    if (this.#worker === undefined && this.#recycling) {
      // A stop-start gap: the connection waits for the new worker.
      this.#waiting.push(conn);
      return;
    }
    const w = this.#worker ?? this.#activateOnDemand();
    if (w === undefined) this.#ctx.refuse(conn, 'EndpointNotFound', 'no worker is registered for the path');
    else w.dispatch(conn);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  setLatency(op: Operation, ms: number): void {
    this.service.operations[op] = { latencyMs: ms };
    for (const w of this.workers) w.setLatency(op, ms);
  }

  // The delay of the next activation (once) or of every one from now on.
  setActivationDelay(ms: number, once: boolean): void {
    this.#delay = { ms, once };
  }

  // Makes the next `count` activations fail (0: none).
  failActivations(count: number): void {
    this.#failures = count;
  }

  // Replaces the worker. overlapped: the new one registers once active, then the old ones drain;
  // stop-start: the old ones drain and exit, then the new one starts (connections wait meanwhile).
  // A service that disallows overlap is recycled stop-start whatever is asked.
  async recycle(requested: RecycleMode): Promise<RecycleResult> {
    if (this.#recycling) throw new HostError(HostErrorCode.Busy, `${this.path} is already being recycled`);
    const mode: RecycleMode =
      requested === 'overlapped' && !this.service.overlappedRecycle ? 'stop-start' : requested;
    const t0 = performance.now();
    const oldPid = this.#worker?.pid ?? null;
    this.#recycling = true;
    this.#ctx.events({ event: 'recycle-start', path: this.path, mode, oldPid });
    try {
      const fresh = mode === 'overlapped' ? await this.#overlapped() : await this.#stopStart();
      this.#ctx.events({
        event: 'recycle',
        path: this.path,
        mode,
        oldPid,
        newPid: fresh.pid,
        ms: performance.now() - t0,
      });
      return { path: this.path, mode, oldPid, newPid: fresh.pid };
    } catch (e) {
      this.#ctx.events({
        event: 'recycle-failed',
        path: this.path,
        mode,
        reason: String((e as Error).message),
      });
      throw e;
    } finally {
      this.#recycling = false;
      for (const c of this.#waiting.splice(0)) this.accept(c);
    }
  }

  // The worker to send a command to: the registered one, else any live one.
  target(): WorkerProcess {
    const w = this.#worker ?? [...this.#others][0];
    if (w === undefined) throw new HostError(HostErrorCode.NoWorker, `no worker is running for ${this.path}`);
    return w;
  }

  status(): RouteStatus {
    const w = this.#worker;
    let state: RouteStatus['state'];
    if (w !== undefined) state = w.state === 'active' ? 'registered' : 'activating';
    else if (this.#recycling) state = 'recycling';
    else state = this.service.activation.mode === 'on-demand' ? 'idle' : 'unregistered';
    return { path: this.path, paused: this.#paused, state, workerPid: w?.pid ?? null };
  }

  // Stops every worker of this path.
  async close(): Promise<void> {
    this.#closing = true;
    for (const c of this.#waiting.splice(0)) c.drop();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  async #overlapped(): Promise<WorkerProcess> {
    const fresh = this.#spawn('recycle');
    // On failure the old worker keeps its registration; the failed one is on its way out.
    await this.#recycledActive(fresh);
    const old = this.#worker;
    if (old !== undefined) this.#others.add(old);
    this.#worker = fresh;
    if (this.#ctx.defects.includes('overlapped-recycle-race')) this.#ctx.onOverlappedRecycle();
    for (const w of this.#others) void w.drain(this.#drainMs());
    return fresh;
  }

  async #stopStart(): Promise<WorkerProcess> {
    if (this.#worker !== undefined) this.#others.add(this.#worker);
    this.#worker = undefined;
    await Promise.all([...this.#others].map((w) => w.drain(this.#drainMs())));
    const fresh = this.#spawn('recycle');
    this.#worker = fresh;
    for (const c of this.#waiting.splice(0)) fresh.dispatch(c);
    await this.#recycledActive(fresh);
    return fresh;
  }

  // Waits for a recycle's new worker to activate; its failure is the recycle's.
  async #recycledActive(fresh: WorkerProcess): Promise<void> {
    try {
      await fresh.whenActive();
    } catch (e) {
      throw new HostError(
        HostErrorCode.ActivationFailed,
        `the new worker for ${this.path} did not activate`,
        {
          cause: e,
        },
      );
    }
  }

  #activateOnDemand(): WorkerProcess | undefined {
    if (this.service.activation.mode !== 'on-demand') return undefined;
    const idle = [...this.#others].find((w) => w.state === 'inactive');
    if (idle !== undefined) {
      this.#others.delete(idle);
      this.#worker = idle;
      idle.activate(this.#nextActivation());
      return idle;
    }
    this.#worker = this.#spawn('on-demand');
    return this.#worker;
  }

  #spawn(reason: WorkerStartReason): WorkerProcess {
    return new WorkerProcess({
      path: this.path,
      reason,
      init: {
        service: structuredClone(this.service),
        defects: [...this.#ctx.defects],
        receiveTimeoutMs: this.#ctx.sharing.receiveTimeoutMs,
        activation: this.#nextActivation(),
      },
      dispatchTimeoutMs: this.#ctx.sharing.dispatchTimeoutMs,
      events: this.#ctx.events,
      refuse: this.#ctx.refuse,
      hooks: {
        onDispatchTimeout: (w, id) => this.#onDispatchTimeout(w, id),
        onExit: (w) => {
          if (this.#worker === w) this.#worker = undefined;
          this.#others.delete(w);
        },
      },
    });
  }

  // SMSvcHost closes the registration of a worker that did not take a hand-off in time.
  #onDispatchTimeout(w: WorkerProcess, id: number): void {
    if (this.#worker === w) {
      this.#worker = undefined;
      this.#others.add(w);
    }
    w.unregister('a hand-off timed out', id);
  }

  #nextActivation(): ActivationOrder {
    const d = this.#delay;
    const delayMs = d?.ms ?? this.service.activation.delayMs;
    if (d?.once) this.#delay = undefined;
    const fail = this.#failures > 0;
    if (fail) this.#failures--;
    return { delayMs, fail };
  }

  #drainMs(): number {
    return this.service.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  }
}
