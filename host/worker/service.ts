// One worker's service: activation, the session and call throttles, the pre-dispatch hook, the
// operations, and a graceful drain. Sessions are ServerSessions replaying what the listener read.

import { createServer, type Server, type Socket } from 'node:net';
import type { Operation } from '../../protocol/index.ts';
import type { ActivationOrder, FromWorker, WorkerInit, WorkerReport } from '../ipc.ts';
import { ServerSession } from '../server-session.ts';
import { resumeReading } from '../socket-reads.ts';
import { Intake } from './intake.ts';
import { runOperation, sleep } from './operations.ts';
import { Throttle } from './throttle.ts';

type State = 'activating' | 'active' | 'inactive' | 'draining';

// Calls of one session still owed a reply, so the server's End can wait for them.
type Owed = { n: number; idle: (() => void)[] };

const mediaType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

export class Service {
  #init: WorkerInit;
  #send: (m: FromWorker, then?: () => void) => void;
  #exit: (code: number) => void;
  #state: State = 'activating';
  #sessions = new Set<ServerSession>();
  #owed = new WeakMap<ServerSession, Owed>();
  #slots: Throttle;
  #calls: Throttle;
  #hookLock = new Throttle(1);
  #hooks = { running: 0, peak: 0 };
  #latency = new Map<Operation, number>();
  #accepted: Set<string>;
  #intake: Intake;
  #direct: Server | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #exiting = false;
  #activations = 0;

  constructor(
    init: WorkerInit,
    send: (m: FromWorker, then?: () => void) => void,
    exit: (code: number) => void,
  ) {
    this.#init = init;
    this.#send = send;
    this.#exit = exit;
    const svc = init.service;
    this.#slots = new Throttle(svc.throttle.maxConcurrentSessions);
    this.#calls = new Throttle(svc.throttle.maxConcurrentCalls);
    for (const [op, v] of Object.entries(svc.operations)) this.#latency.set(op as Operation, v.latencyMs);
    this.#accepted = new Set(svc.contentTypes.map(mediaType));
    this.#intake = new Intake({
      reserve: () => this.#canTake() && this.#slots.tryAcquire(),
      unreserve: () => this.#slotFreed(),
      took: (id) => this.#send({ type: 'took', id }),
      serve: (socket, bytes) => this.#serve(socket, bytes),
      leak: init.defects.includes('leak-on-dispatch-timeout'),
    });
  }

  get intake(): Intake {
    return this.#intake;
  }

  // Opens the service (after its activation delay); a failed activation closes what waits and exits.
  activate(order: ActivationOrder): void {
    this.#state = 'activating';
    const t0 = performance.now();
    // An activation cut short by unregistration may still be pending when the next one starts.
    const activation = ++this.#activations;
    setTimeout(() => {
      if (this.#state !== 'activating' || activation !== this.#activations) return;
      if (order.fail) {
        this.#intake.closeAll();
        this.#send({ type: 'activation-failed', reason: 'the service failed to activate' }, () =>
          this.#exit(1),
        );
        return;
      }
      this.#state = 'active';
      this.#send({ type: 'activated', ms: performance.now() - t0 });
      this.#intake.pump();
    }, order.delayMs);
  }

  // The listener closed the registration: serve what is open, take nothing new until activated again.
  unregistered(): void {
    if (this.#state !== 'draining') this.#state = 'inactive';
  }

  setLatency(op: Operation, ms: number): void {
    this.#latency.set(op, ms);
  }

  // Finishes open sessions and hand-offs already made, then exits; at the bound, aborts what is left.
  drain(timeoutMs: number): void {
    this.#state = 'draining';
    this.#direct?.close();
    this.#drainTimer ??= setTimeout(() => {
      for (const s of this.#sessions) s.abort('drain timed out');
      this.#intake.closeAll();
      this.#drained();
    }, timeoutMs);
    this.#intake.pump();
    this.#maybeDrained();
  }

  // Opens a listener of the worker's own on loopback (for benchmarks: sessions without the hand-off).
  async openDirect(): Promise<number> {
    if (this.#direct === undefined) {
      const server = createServer((socket) => this.#intake.addLocal(socket));
      this.#direct = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return (this.#direct.address() as { port: number }).port;
  }

  report(): WorkerReport {
    return {
      pid: process.pid,
      state: this.#state,
      sessions: this.#sessions.size,
      waiting: this.#intake.waiting,
      calls: { active: this.#calls.active, queued: this.#calls.queued, limit: this.#calls.limit },
      sessionLimit: this.#slots.limit,
      hooks: { ...this.#hooks },
      orphaned: this.#intake.orphaned,
      latencies: Object.fromEntries(this.#latency),
      directPort: this.#direct === undefined ? null : (this.#direct.address() as { port: number }).port,
    };
  }

  // A session slot is free and calls are not saturated (a full MaxConcurrentCalls holds hand-offs too).
  #canTake(): boolean {
    return (this.#state === 'active' || this.#state === 'draining') && !this.#calls.saturated;
  }

  #slotFreed(): void {
    this.#slots.release();
    this.#intake.pump();
    this.#maybeDrained();
  }

  #serve(socket: Socket, bytes: Uint8Array): void {
    if (socket.destroyed) {
      this.#slotFreed();
      return;
    }
    resumeReading(socket);
    const svc = this.#init.service;
    // Added before it starts: replaying the listener's bytes can end the session at once.
    const session = new ServerSession(socket, {
      initial: bytes,
      limits: { maxEnvelope: svc.maxMessageSize },
      receiveTimeoutMs: this.#init.receiveTimeoutMs,
      onPreamble: (p) => (this.#accepted.has(mediaType(p.contentType)) ? undefined : 'ContentTypeInvalid'),
      onMessage: (payload, reply, s) => this.#call(payload, reply, s),
      onEnd: (s) => this.#allReplied(s),
      onClose: (_end, s) => {
        this.#sessions.delete(s);
        this.#slotFreed();
      },
    });
    this.#sessions.add(session);
    session.start();
  }

  #call(payload: Uint8Array, reply: (bytes: Uint8Array) => void, session: ServerSession): void {
    // The decoder may hand out a view of its read buffer; the reply goes out later.
    const data = Uint8Array.from(payload);
    const owed = this.#owedOf(session);
    owed.n++;
    const run = async (): Promise<void> => {
      await this.#calls.acquire();
      try {
        await this.#hook();
        reply(await runOperation(data, (op) => this.#latency.get(op) ?? 0));
      } finally {
        this.#calls.release();
        if (--owed.n === 0) for (const f of owed.idle.splice(0)) f();
        this.#intake.pump();
      }
    };
    run().catch((e: unknown) => session.abort(`operation failed: ${String(e)}`));
  }

  #owedOf(session: ServerSession): Owed {
    let o = this.#owed.get(session);
    if (o === undefined) {
      o = { n: 0, idle: [] };
      this.#owed.set(session, o);
    }
    return o;
  }

  #allReplied(session: ServerSession): Promise<void> | undefined {
    const o = this.#owed.get(session);
    if (o === undefined || o.n === 0) return undefined;
    return new Promise((resolve) => o.idle.push(resolve));
  }

  // The pre-dispatch hook (authentication, message inspection). serial-extensions runs it under one
  // worker-wide lock, so concurrent calls queue behind it (KB 2907010).
  async #hook(): Promise<void> {
    const ms = this.#init.service.preDispatchHook.latencyMs;
    if (ms <= 0) return;
    const serial = this.#init.defects.includes('serial-extensions');
    if (serial) await this.#hookLock.acquire();
    this.#hooks.peak = Math.max(this.#hooks.peak, ++this.#hooks.running);
    try {
      await sleep(ms);
    } finally {
      this.#hooks.running--;
      if (serial) this.#hookLock.release();
    }
  }

  #maybeDrained(): void {
    if (this.#state !== 'draining' || this.#sessions.size > 0 || this.#intake.waiting > 0) return;
    this.#drained();
  }

  #drained(): void {
    if (this.#exiting) return;
    this.#exiting = true;
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    this.#send({ type: 'drained' }, () => this.#exit(0));
  }
}
