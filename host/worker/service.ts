// One worker's service: activation, the session and call throttles, the pre-dispatch hook, the
// operations, and a graceful drain. Sessions are ServerSessions replaying what the listener read; each
// speaks SOAP (a WCF service's messages) or the compact op framing, as its preamble's encoding says
// (dialect.ts), and either way every call goes through the same call slot, hook and latency. A session
// that ends cleanly leaves its connection with the worker for the client's next session, as a WCF
// service does (host/idle-connections.ts): that session needs a session slot like any other, and its via
// must be this service's, else EndpointNotFound (the worker knows no other service's routes).

import { createServer, type Server, type Socket } from 'node:net';
import {
  createSoapServerCodec,
  isSoapError,
  type Operation,
  type SoapServerCodec,
} from '../../protocol/index.ts';
import type { ActivationOrder, FromWorker, WorkerInit, WorkerReport } from '../ipc.ts';
import { IdleConnections } from '../idle-connections.ts';
import { pathCovers, routeKeyOf } from '../listener/routes.ts';
import { ServerSession } from '../server-session.ts';
import { resumeReading } from '../socket-reads.ts';
import { type Dialect, dialectOf, mediaType } from './dialect.ts';
import { Intake } from './intake.ts';
import { burn, runOperation, sleep } from './operations.ts';
import { Throttle } from './throttle.ts';
import {
  addressFilter,
  encodeSoapReply,
  planSoapCall,
  type SoapCallPlan,
  type SoapRefusal,
} from './wcf-contract.ts';

type State = 'activating' | 'active' | 'inactive' | 'draining';

// Calls of one session still owed a reply, so the server's End can wait for them.
type Owed = { n: number; idle: (() => void)[] };

// A call's work, run in its call slot after the hook; it resolves with the reply's encoder, which runs
// right before the reply is sent (a binary session's string table must see replies in the order sent).
type Work = () => Promise<() => Uint8Array>;

// Handles one message of a session.
type OnMessage = (payload: Uint8Array, reply: (bytes: Uint8Array) => void, session: ServerSession) => void;

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
  #idle: IdleConnections;

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
      serve: (socket, bytes, reused) => this.#serve(socket, bytes, reused),
      leak: init.defects.includes('leak-on-dispatch-timeout'),
    });
    this.#idle = new IdleConnections({ next: (socket, bytes) => this.#intake.addReused(socket, bytes) });
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
    this.#dropKept();
  }

  setLatency(op: Operation, ms: number): void {
    this.#latency.set(op, ms);
  }

  // Finishes open sessions and hand-offs already made, then exits; at the bound, aborts what is left.
  drain(timeoutMs: number): void {
    this.#state = 'draining';
    this.#direct?.close();
    this.#dropKept();
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
      idle: this.#idle.size,
      reused: this.#idle.reused,
    };
  }

  // A worker that takes nothing new (unregistered, draining) keeps no connection for a next session:
  // those waiting close, and the client's next session goes through the listener again.
  #dropKept(): void {
    this.#idle.closeAll();
    this.#intake.dropReused();
  }

  // Whether a session that ends now leaves its connection for the client's next one.
  #keeps(): boolean {
    return this.#state === 'active' && this.#idle.canKeep();
  }

  // Whether a via names this service: its path covers the via's, and its host, when it binds one.
  #serves(via: string, socket: Socket): boolean {
    const key = routeKeyOf(via, socket.localPort ?? 0);
    const svc = this.#init.service;
    if (key === undefined) return false;
    if (svc.host !== undefined && svc.host.toLowerCase() !== key.host) return false;
    return pathCovers(svc.path, key.path);
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

  #serve(socket: Socket, bytes: Uint8Array, reused: boolean): void {
    if (socket.destroyed) {
      this.#slotFreed();
      return;
    }
    resumeReading(socket);
    const svc = this.#init.service;
    // Set once the preamble is read: how this session's messages are handled.
    let onMessage: OnMessage = () => {};
    // Added before it starts: replaying the listener's bytes can end the session at once.
    const session = new ServerSession(socket, {
      initial: bytes,
      limits: { maxEnvelope: svc.maxMessageSize },
      receiveTimeoutMs: this.#init.receiveTimeoutMs,
      onPreamble: (p) => {
        // The listener routed the others here; a kept connection's next via may name any service.
        if (reused && !this.#serves(p.via, socket)) return 'EndpointNotFound';
        if (!this.#accepted.has(mediaType(p.contentType))) return 'ContentTypeInvalid';
        const dialect: Dialect = dialectOf(p);
        if (dialect.kind === 'unreadable') return 'ContentTypeInvalid';
        onMessage =
          dialect.kind === 'ops'
            ? (payload, reply, s) => this.#opsMessage(payload, reply, s)
            : this.#soapHandler(createSoapServerCodec({ encoding: dialect.encoding }), p.via);
        return undefined;
      },
      onMessage: (payload, reply, s) => onMessage(payload, reply, s),
      onEnd: (s) => this.#allReplied(s),
      onClose: (_end, s) => {
        this.#sessions.delete(s);
        this.#slotFreed();
      },
      reuse: { keep: () => this.#keeps(), take: (s, rest) => this.#idle.keep(s, rest) },
    });
    this.#sessions.add(session);
    session.start();
  }

  // A compact op framing message: the request names its operation (protocol/ops.ts).
  #opsMessage(payload: Uint8Array, reply: (bytes: Uint8Array) => void, session: ServerSession): void {
    // The decoder may hand out a view of its read buffer; the reply goes out later.
    const data = Uint8Array.from(payload);
    this.#call(session, reply, async () => {
      const bytes = await runOperation(data, (op) => this.#latency.get(op) ?? 0);
      return () => bytes;
    });
  }

  // The SOAP messages of one session. Every request is decoded as it arrives, in order (the client's
  // string table grows with each); the address and contract filters answer at once, like WCF's
  // dispatcher, and the contract's operations run as calls.
  #soapHandler(codec: SoapServerCodec, via: string): OnMessage {
    const accepts = addressFilter(via);
    return (payload, reply, session) => {
      let plan: SoapCallPlan | SoapRefusal;
      try {
        plan = planSoapCall(codec.decodeRequest(payload), accepts);
      } catch (e) {
        // WCF faults the channel on a message it cannot read: the session is aborted.
        session.abort(`unreadable SOAP message: ${isSoapError(e) ? `${e.code}: ${e.message}` : String(e)}`);
        return;
      }
      if (plan.kind === 'refuse') {
        reply(codec.encodeFault(plan.fault));
        return;
      }
      const call = plan;
      this.#call(session, reply, async () => {
        await sleep(this.#latency.get(call.op) ?? 0);
        if (call.op === 'sleep') await sleep(call.ms);
        else if (call.op === 'cpu') burn(call.ms);
        return () => encodeSoapReply(codec, call);
      });
    };
  }

  // One call: it holds a call slot (maxConcurrentCalls) and runs the pre-dispatch hook before its work.
  #call(session: ServerSession, reply: (bytes: Uint8Array) => void, work: Work): void {
    const owed = this.#owedOf(session);
    owed.n++;
    const run = async (): Promise<void> => {
      await this.#calls.acquire();
      try {
        await this.#hook();
        const answer = await work();
        reply(answer());
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
