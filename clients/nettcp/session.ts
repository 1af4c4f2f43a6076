// A net.tcp (MC-NMF duplex) session client: open, call (several in flight), end, abort.
// Every outcome resolves as a typed result; nothing a peer does makes these promises reject.

import { connect, type Socket } from 'node:net';
import {
  DEFAULT_LIMITS,
  ENCODING_ALIASES,
  encodeRecord,
  encodeRecords,
  FramingDecoder,
  type FramingRecord,
  faultNameOf,
  type Limits,
  sessionPreamble,
  sizedEnvelopeHeader,
} from '../../protocol/index.ts';
import { type DeadlineHandle, type DeadlineWheel, sharedDeadlines } from '../deadlines.ts';
import { isLoopbackIp, RemoteTargetError } from '../loopback.ts';
import type { NetTcpTarget } from './address.ts';
import { type Failure, failureFromSocketError, type Stage } from './outcome.ts';
import { ConnectionPool } from './pool.ts';

// How replies find their calls. Without one, replies match calls in order (FIFO), which is what a
// server that answers each session's messages in order does.
export type Correlator = {
  requestKey(payload: Uint8Array): string | number;
  // The key of a reply, or undefined for a message that answers no call (it is counted, not matched).
  replyKey(payload: Uint8Array): string | number | undefined;
};

export type SessionOptions = {
  // Known encoding byte, alias (`binary-session`, `soap12`, ...) or any content type. Default: binary session.
  encoding?: number | string;
  connectTimeoutMs?: number;
  openTimeoutMs?: number;
  callTimeoutMs?: number;
  endTimeoutMs?: number;
  // Decoder limits for what the server sends (maxEnvelope: the largest reply accepted).
  limits?: Partial<Limits>;
  correlate?: Correlator;
  // Aborts the session (and an open in progress).
  signal?: AbortSignal;
  // Allow a target outside loopback.
  allowRemote?: boolean;
  deadlines?: DeadlineWheel;
  // Sees every record sent and received (for probes and debugging; costs a call per record).
  trace?: (direction: 'out' | 'in', record: FramingRecord) => void;
  // Opens on a connection the pool kept, if it has one to the target, and gives the connection back to it
  // after a clean End (when the server kept it too), as the .NET client's connection pool does.
  pool?: ConnectionPool;
};

// Milliseconds each open stage took.
export type OpenTimings = { connectMs?: number; preambleMs?: number };

export type OpenResult =
  | { ok: true; session: NetTcpSession; timings: Required<OpenTimings> }
  | { ok: false; failure: Failure; timings: OpenTimings };

export type CallResult =
  { ok: true; reply: Uint8Array; ms: number } | { ok: false; failure: Failure; ms: number };
export type EndResult = { ok: true; ms: number } | { ok: false; failure: Failure; ms: number };

const DEFAULTS = { connectTimeoutMs: 5000, openTimeoutMs: 5000, callTimeoutMs: 10000, endTimeoutMs: 5000 };

// One deadline for every stage (connect, preamble, each call, end), as probes use.
export const sameTimeouts = (
  ms: number,
): Pick<SessionOptions, 'connectTimeoutMs' | 'openTimeoutMs' | 'callTimeoutMs' | 'endTimeoutMs'> => ({
  connectTimeoutMs: ms,
  openTimeoutMs: ms,
  callTimeoutMs: ms,
  endTimeoutMs: ms,
});

type Pending = {
  key: string | number | undefined;
  start: number;
  resolve: (r: CallResult) => void;
  deadline: DeadlineHandle | undefined;
  // Set once the call timed out: its reply slot stays so a late reply is consumed, not misattributed.
  done: boolean;
};

// Encoded preambles by via and encoding: a load run opens thousands of sessions to a handful of vias.
const preambleCache = new Map<string, Buffer>();
const preambleBytes = (via: string, encoding: number | string): Buffer => {
  const k = `${encoding}\u0000${via}`;
  let b = preambleCache.get(k);
  if (b === undefined) {
    b = encodeRecords(sessionPreamble(via, encoding));
    if (preambleCache.size > 256) preambleCache.clear();
    preambleCache.set(k, b);
  }
  return b;
};

const END = encodeRecord({ type: 'end' });

const resolveEncoding = (e: number | string | undefined): number | string => {
  if (e === undefined) return ENCODING_ALIASES['binary-session']!;
  if (typeof e === 'string' && e in ENCODING_ALIASES) return ENCODING_ALIASES[e]!;
  return e;
};

// Opens a session: connect, one write of the preamble, then Ack or Fault within the deadline. With a pool,
// on a connection it kept if it has one; if the server closed that one meanwhile (before any answer to the
// preamble), on a new connection, as the .NET client does.
export const openSession = async (
  target: NetTcpTarget,
  options: SessionOptions = {},
): Promise<OpenResult> => {
  if (!options.allowRemote && !isLoopbackIp(target.ip)) {
    throw new RemoteTargetError(target.host, target.ip);
  }
  const kept = options.pool?.take(ConnectionPool.keyOf(target));
  if (kept !== undefined) {
    const r = await new Promise<OpenResult>((resolve) =>
      new NetTcpSession(target, options, kept).start(resolve),
    );
    if (r.ok || !closedUnderUs(r.failure)) return r;
    options.pool!.stale();
  }
  return new Promise((resolve) => new NetTcpSession(target, options).start(resolve));
};

// A kept connection the server had closed: it ends or resets as soon as the preamble reaches it.
const closedUnderUs = (f: Failure): boolean =>
  f.stage === 'preamble' && (f.kind === 'closed' || f.kind === 'reset');

export class NetTcpSession {
  readonly target: NetTcpTarget;
  #opts: SessionOptions & typeof DEFAULTS;
  #socket: Socket | undefined;
  #decoder: FramingDecoder;
  #stage: Stage = 'connect';
  #state: 'opening' | 'open' | 'ending' | 'ended' | 'failed' = 'opening';
  #failure: Failure | undefined;
  #fifo: Pending[] = [];
  #fifoHead = 0;
  #byKey = new Map<string | number, Pending>();
  #inFlight = 0;
  #unsolicited = 0;
  #deadlines: DeadlineWheel;
  #onOpen: ((r: OpenResult) => void) | undefined;
  #onEnd: ((r: EndResult) => void) | undefined;
  #preambleStart = 0;
  #endStart = 0;
  #timer: NodeJS.Timeout | undefined;
  #timings: OpenTimings = {};
  #abortListener: (() => void) | undefined;
  // A connection a pool kept, to open on instead of connecting.
  #kept: Socket | undefined;
  // Whether the connection may go back to the pool after End: nothing came after the server's End.
  #reusable = true;
  #onSocketError = (err: Error): void => this.#fail(failureFromSocketError(err, this.#stage));
  #onSocketClose = (): void => this.#onClose();
  #onSocketEnd = (): void => this.#onPeerEnd();
  #onSocketData = (chunk: Buffer): void => this.#onData(chunk);

  // `kept`: a connection a pool kept, already connected (openSession passes it).
  constructor(target: NetTcpTarget, options: SessionOptions, kept?: Socket) {
    this.target = target;
    this.#opts = { ...DEFAULTS, ...options };
    this.#decoder = new FramingDecoder({ ...DEFAULT_LIMITS, ...options.limits });
    this.#deadlines = options.deadlines ?? sharedDeadlines;
    this.#kept = kept;
  }

  // Where the session is: opening, open, ending, ended (cleanly) or failed.
  get state(): string {
    return this.#state;
  }

  // Calls sent and not yet answered (timed-out calls whose reply may still come excluded).
  get inFlight(): number {
    return this.#inFlight;
  }

  // Messages the server sent that matched no call.
  get unsolicited(): number {
    return this.#unsolicited;
  }

  // Why the session failed, once it has.
  get failure(): Failure | undefined {
    return this.#failure;
  }

  // Starts connecting; `done` gets the open result exactly once. Used by openSession.
  start(done: (r: OpenResult) => void): void {
    this.#onOpen = done;
    const signal = this.#opts.signal;
    if (signal?.aborted) {
      this.#fail({ kind: 'aborted', stage: 'connect' });
      return;
    }
    if (signal !== undefined) {
      this.#abortListener = () => this.abort();
      signal.addEventListener('abort', this.#abortListener, { once: true });
    }
    const t0 = performance.now();
    const kept = this.#kept;
    const socket = kept ?? connect({ host: this.target.ip, port: this.target.port, noDelay: true });
    this.#socket = socket;
    socket.on('error', this.#onSocketError);
    socket.on('close', this.#onSocketClose);
    socket.on('end', this.#onSocketEnd);
    socket.on('data', this.#onSocketData);
    const preamble = (): void => {
      const t1 = performance.now();
      this.#timings.connectMs = t1 - t0;
      this.#stage = 'preamble';
      this.#armTimer(this.#opts.openTimeoutMs);
      this.#preambleStart = t1;
      const encoding = resolveEncoding(this.#opts.encoding);
      if (this.#opts.trace)
        for (const r of sessionPreamble(this.target.via, encoding)) this.#opts.trace('out', r);
      socket.write(preambleBytes(this.target.via, encoding));
    };
    if (kept !== undefined) {
      preamble();
      return;
    }
    this.#armTimer(this.#opts.connectTimeoutMs);
    socket.once('connect', preamble);
  }

  // Sends one message and waits for its reply. Resolves (never rejects) with the reply or the failure.
  call(payload: Uint8Array, options: { timeoutMs?: number } = {}): Promise<CallResult> {
    const start = performance.now();
    if (this.#state !== 'open') {
      const failure = this.#failure ?? ({ kind: 'closed', stage: 'call' } as const);
      return Promise.resolve({ ok: false, failure, ms: 0 });
    }
    return new Promise((resolve) => {
      const key = this.#opts.correlate?.requestKey(payload);
      const p: Pending = { key, start, resolve, deadline: undefined, done: false };
      const timeout = options.timeoutMs ?? this.#opts.callTimeoutMs;
      p.deadline = this.#deadlines.add(start + timeout, () =>
        this.#settle(p, { kind: 'timeout', stage: 'call' }),
      );
      if (key === undefined) this.#fifo.push(p);
      else this.#byKey.set(key, p);
      this.#inFlight++;
      const socket = this.#socket!;
      this.#opts.trace?.('out', { type: 'sized-envelope', payload });
      socket.cork();
      socket.write(sizedEnvelopeHeader(payload.length));
      socket.write(payload);
      socket.uncork();
    });
  }

  // Ends the session: waits for calls in flight, sends End, waits for the server's End, closes.
  async end(options: { timeoutMs?: number } = {}): Promise<EndResult> {
    const start = performance.now();
    const timeout = options.timeoutMs ?? this.#opts.endTimeoutMs;
    if (this.#state !== 'open') {
      return { ok: false, failure: this.#failure ?? { kind: 'closed', stage: 'end' }, ms: 0 };
    }
    this.#state = 'ending';
    this.#stage = 'end';
    return new Promise((resolve) => {
      this.#onEnd = resolve;
      this.#endStart = start;
      this.#armTimer(timeout);
      this.#sendEndWhenIdle();
    });
  }

  // Aborts at once with a reset; calls in flight and an open or end in progress resolve as aborted.
  abort(): void {
    if (this.#state === 'ended' || this.#state === 'failed') return;
    this.#fail({ kind: 'aborted', stage: this.#stage });
  }

  #sendEndWhenIdle(): void {
    if (this.#state !== 'ending') return;
    if (this.#inFlight > 0) return; // #settle calls back here when the last call settles
    this.#opts.trace?.('out', { type: 'end' });
    this.#socket?.write(END);
  }

  #armTimer(ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fail({ kind: 'timeout', stage: this.#stage }), ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onData(chunk: Buffer): void {
    const { records, error } = this.#decoder.decode(chunk);
    for (const r of records) {
      if (this.#state === 'failed') return;
      if (this.#state === 'ended') {
        // Anything after the server's End: the connection is not fit for another session.
        this.#reusable = false;
        return;
      }
      this.#opts.trace?.('in', r);
      this.#onRecord(r);
    }
    if (error === undefined) return;
    if (this.#state === 'ended') {
      this.#reusable = false;
      return;
    }
    if (this.#stage === 'preamble' && error.looksLikeHttp) {
      const detail = chunk.subarray(0, 80).toString('latin1').split(/\r?\n/)[0] ?? '';
      this.#fail({ kind: 'not-net.tcp', stage: 'preamble', detail });
    } else {
      this.#fail({ kind: 'protocol', stage: this.#stage, code: error.code, message: error.message });
    }
  }

  #onRecord(r: FramingRecord): void {
    if (r.type === 'fault') {
      this.#fail({ kind: 'fault', stage: this.#stage, fault: faultNameOf(r.uri) ?? null, uri: r.uri });
      return;
    }
    if (this.#state === 'opening') {
      if (r.type !== 'preamble-ack') {
        this.#fail(unexpected(r, 'preamble', 'PreambleAck or Fault'));
        return;
      }
      this.#clearTimer();
      this.#state = 'open';
      this.#stage = 'call';
      this.#timings.preambleMs = performance.now() - this.#preambleStart;
      this.#onOpen?.({ ok: true, session: this, timings: this.#timings as Required<OpenTimings> });
      this.#onOpen = undefined;
      return;
    }
    if (r.type === 'sized-envelope') {
      this.#onReply(r.payload);
      return;
    }
    if (r.type === 'end') {
      if (this.#state === 'ending') {
        this.#clearTimer();
        this.#state = 'ended';
        const ms = performance.now() - this.#endStart;
        this.#onEnd?.({ ok: true, ms });
        this.#onEnd = undefined;
        this.#close();
      } else {
        // The server ended the session on its own: calls in flight will not be answered.
        this.#fail({ kind: 'closed', stage: this.#stage });
      }
      return;
    }
    this.#fail(unexpected(r, this.#stage, 'SizedEnvelope, End or Fault'));
  }

  #onReply(payload: Uint8Array): void {
    let p: Pending | undefined;
    const c = this.#opts.correlate;
    if (c === undefined) {
      p = this.#fifo[this.#fifoHead];
      if (p !== undefined) {
        this.#fifo[this.#fifoHead++] = undefined as unknown as Pending;
        // Compact the queue now and then rather than shifting on every reply.
        if (this.#fifoHead > 1024 && this.#fifoHead * 2 > this.#fifo.length) {
          this.#fifo = this.#fifo.slice(this.#fifoHead);
          this.#fifoHead = 0;
        }
      }
    } else {
      const k = c.replyKey(payload);
      if (k !== undefined) {
        p = this.#byKey.get(k);
        this.#byKey.delete(k);
      }
    }
    if (p === undefined) {
      this.#unsolicited++;
      return;
    }
    if (p.done) return; // the late reply of a call that already timed out
    this.#settle(p, undefined, payload);
  }

  #settle(p: Pending, failure: Failure | undefined, reply?: Uint8Array): void {
    if (p.done) return;
    p.done = true;
    if (p.deadline !== undefined) this.#deadlines.cancel(p.deadline);
    this.#inFlight--;
    const ms = performance.now() - p.start;
    p.resolve(failure === undefined ? { ok: true, reply: reply!, ms } : { ok: false, failure, ms });
    if (this.#state === 'ending' && this.#inFlight === 0) this.#sendEndWhenIdle();
  }

  #onPeerEnd(): void {
    // FIN from the server. After its End that is the normal close; otherwise data we wait for will not come.
    if (this.#state === 'ended') return;
    this.#fail({ kind: 'closed', stage: this.#stage });
  }

  #onClose(): void {
    if (this.#state !== 'ended' && this.#state !== 'failed')
      this.#fail({ kind: 'closed', stage: this.#stage });
    this.#cleanup();
  }

  // Fails the session once: every waiter resolves with the failure, the socket is torn down.
  #fail(f: Failure): void {
    if (this.#state === 'ended' || this.#state === 'failed') return;
    this.#state = 'failed';
    this.#failure = f;
    this.#clearTimer();
    const abortive =
      f.kind === 'aborted' || f.kind === 'timeout' || f.kind === 'protocol' || f.kind === 'not-net.tcp';
    for (let i = this.#fifoHead; i < this.#fifo.length; i++) {
      const p = this.#fifo[i];
      if (p !== undefined) this.#settle(p, callFailure(f));
    }
    for (const p of this.#byKey.values()) this.#settle(p, callFailure(f));
    this.#fifo = [];
    this.#fifoHead = 0;
    this.#byKey.clear();
    this.#onOpen?.({ ok: false, failure: f, timings: this.#timings });
    this.#onOpen = undefined;
    this.#onEnd?.({ ok: false, failure: f, ms: performance.now() - this.#endStart });
    this.#onEnd = undefined;
    const s = this.#socket;
    if (s !== undefined && !s.destroyed) {
      // We give up on the connection (timeout, abort, bad bytes): reset it, as WCF's Abort does.
      if (abortive && !s.connecting) s.resetAndDestroy();
      else s.destroy();
    }
    this.#cleanup();
  }

  // After a clean End: gives the connection to the pool if the server kept it (it sent End without a FIN),
  // else half-closes; the server closes its side, and a silent one is cut off at the deadline.
  #close(): void {
    const s = this.#socket;
    if (s === undefined) return;
    const pool = this.#opts.pool;
    if (pool !== undefined && this.#reusable && !s.readableEnded && !s.destroyed) {
      s.off('error', this.#onSocketError);
      s.off('close', this.#onSocketClose);
      s.off('end', this.#onSocketEnd);
      s.off('data', this.#onSocketData);
      this.#socket = undefined;
      this.#cleanup();
      // It keeps the connection, or closes it when it is full.
      pool.keep(ConnectionPool.keyOf(this.target), s);
      return;
    }
    s.end();
    const t = setTimeout(() => s.destroy(), this.#opts.endTimeoutMs);
    s.once('close', () => {
      clearTimeout(t);
      this.#cleanup();
    });
  }

  #cleanup(): void {
    if (this.#abortListener !== undefined) {
      this.#opts.signal?.removeEventListener('abort', this.#abortListener);
      this.#abortListener = undefined;
    }
  }
}

// A call in flight sees the session's failure at the call stage.
const callFailure = (f: Failure): Failure =>
  f.kind === 'refused' ? f : ({ ...f, stage: 'call' } as Failure);

const unexpected = (r: FramingRecord, stage: Stage, expected: string): Failure => ({
  kind: 'protocol',
  stage,
  code: 'NMF_UNEXPECTED_REPLY',
  message: `expected ${expected}, got ${r.type}`,
});
