// The server side of one MC-NMF duplex session: preamble, Ack or Fault, messages, End.
// Used by the built-in echo endpoint and by host workers (which replay the bytes a listener read). After
// a clean End a session either closes the connection or, with `reuse`, hands it on for the client's next
// session, as WCF services do (host/idle-connections.ts).

import type { Socket } from 'node:net';
import {
  DEFAULT_LIMITS,
  encodeRecord,
  type FaultName,
  FramingDecoder,
  type FramingError,
  type FramingRecord,
  isFramingError,
  type Limits,
  Mode,
  type Preamble,
  PreambleReader,
  sizedEnvelopeHeader,
} from '../protocol/index.ts';
import { abortConnection, sendFault } from './refuse.ts';

const END = encodeRecord({ type: 'end' });
const isEnd = (r: FramingRecord): boolean => r.type === 'end';

// How a session ended, for logs and counters.
export type SessionEnd =
  | { how: 'ended' } // End both ways
  | { how: 'faulted'; fault: FaultName }
  | { how: 'aborted'; reason: string } // framing error without a fault, timeout, or our own abort
  | { how: 'closed'; reason: string }; // the client went away (FIN or reset) without End

export type ServerSessionOptions = {
  // Bytes a listener already read from this socket; decoded before anything the socket sends.
  initial?: Uint8Array;
  limits?: Partial<Limits>;
  // The whole preamble must arrive within this (WCF's channelInitializationTimeout / receiveTimeout).
  receiveTimeoutMs?: number;
  // Decides on a read preamble: undefined accepts (Ack), a fault name refuses.
  onPreamble: (p: Preamble) => FaultName | undefined | Promise<FaultName | undefined>;
  // A message arrived; `reply` sends one message back on this session.
  onMessage: (payload: Uint8Array, reply: (bytes: Uint8Array) => void, session: ServerSession) => void;
  // The client sent End; the server's End waits for this (replies still owed go out first).
  onEnd?: (session: ServerSession) => void | Promise<void>;
  onClose?: (end: SessionEnd, session: ServerSession) => void;
  // Keeps the connection after a clean End instead of closing it (WCF's connection reuse): `keep()` is
  // asked as the server's End goes out; when true, the End goes without a FIN, the session reports
  // `ended`, and `take` gets the socket (paused, this session's listeners removed) with any bytes read
  // past the client's End. It owns the socket from then on.
  reuse?: { keep(): boolean; take(socket: Socket, rest: Uint8Array): void };
};

export class ServerSession {
  readonly socket: Socket;
  #opts: ServerSessionOptions;
  #decoder: FramingDecoder;
  #reader = new PreambleReader();
  #preamble: Preamble | undefined;
  #state: 'preamble' | 'deciding' | 'open' | 'ending' | 'done' = 'preamble';
  #timer: NodeJS.Timeout | undefined;
  #held: FramingRecord[] = [];
  #heldError: FramingError | undefined;
  // Removes the listeners this session put on the socket (before a kept connection is handed on).
  #detach: (() => void)[] = [];

  constructor(socket: Socket, options: ServerSessionOptions) {
    this.socket = socket;
    this.#opts = options;
    this.#decoder = new FramingDecoder({
      ...DEFAULT_LIMITS,
      ...options.limits,
      // A kept connection's next preamble is not this session's to read.
      ...(options.reuse === undefined ? {} : { stopAfter: isEnd }),
    });
  }

  get preamble(): Preamble | undefined {
    return this.#preamble;
  }

  // Where the session is: preamble, deciding, open, ending, done.
  get stateName(): 'preamble' | 'deciding' | 'open' | 'ending' | 'done' {
    return this.#state;
  }

  get open(): boolean {
    return this.#state === 'open';
  }

  // Starts reading: the replayed bytes first, then the socket.
  start(): this {
    const s = this.socket;
    s.setNoDelay(true);
    if (this.#opts.receiveTimeoutMs !== undefined) {
      this.#timer = setTimeout(
        () => this.#abort('preamble not received within receiveTimeout'),
        this.#opts.receiveTimeoutMs,
      );
    }
    this.#listen('error', (e: NodeJS.ErrnoException) =>
      this.#finish({ how: 'closed', reason: e.code ?? e.message }),
    );
    this.#listen('end', () => this.#onClientEnd());
    this.#listen('close', () => this.#finish({ how: 'closed', reason: 'connection closed' }));
    if (this.#opts.initial !== undefined && this.#opts.initial.length > 0) this.#onData(this.#opts.initial);
    this.#listen('data', (chunk: Buffer) => this.#onData(chunk));
    return this;
  }

  #listen<A extends unknown[]>(event: string, fn: (...args: A) => void): void {
    this.socket.on(event, fn);
    this.#detach.push(() => this.socket.off(event, fn));
  }

  // Sends one message to the client.
  send(payload: Uint8Array): void {
    if (this.#state !== 'open' && this.#state !== 'ending') return;
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.cork();
    this.socket.write(sizedEnvelopeHeader(payload.length));
    this.socket.write(payload);
    this.socket.uncork();
  }

  // Refuses or breaks off the session with a fault (half-close, drain, close).
  fault(fault: FaultName): void {
    if (this.#state === 'done') return;
    this.#clearTimer();
    this.#state = 'done';
    this.socket.removeAllListeners('data');
    void sendFault(this.socket, fault).then(() => this.#report({ how: 'faulted', fault }));
  }

  // Aborts with a reset.
  abort(reason = 'aborted by the server'): void {
    this.#abort(reason);
  }

  #onData(chunk: Uint8Array): void {
    if (this.#state === 'done') return;
    const { records, error } = this.#decoder.decode(chunk);
    for (const r of records) {
      // #onRecord may have moved the state on (typed as a fresh read, not the narrowed one above).
      const state = this.#state as ServerSession['stateName'];
      if (state === 'done') return;
      if (state === 'deciding') {
        // Messages pipelined behind the preamble wait for the decision.
        this.#held.push(r);
        continue;
      }
      this.#onRecord(r);
    }
    if (error === undefined) return;
    if (this.#state === 'deciding') {
      // The error comes after the preamble; it is acted on once the preamble is decided.
      this.#heldError = error;
      return;
    }
    this.#onFramingError(error);
  }

  #onFramingError(e: FramingError): void {
    if (e.fault !== undefined) this.fault(e.fault);
    else this.#abort(`${e.code}: ${e.message}`);
  }

  #onRecord(r: FramingRecord): void {
    if (this.#state === 'preamble') {
      let step: string;
      try {
        step = this.#reader.accept(r);
      } catch (e) {
        if (!isFramingError(e)) throw e;
        this.#abort(`${e.code}: ${e.message}`);
        return;
      }
      if (step === 'done') this.#decide(this.#reader.preamble);
      return;
    }
    if (r.type === 'sized-envelope' && this.#state === 'open') {
      this.#opts.onMessage(r.payload, (bytes) => this.send(bytes), this);
      return;
    }
    if (r.type === 'end' && this.#state === 'open') {
      // End both ways, then close once the client closes its side.
      this.#state = 'ending';
      const owed = this.#opts.onEnd?.(this);
      if (owed instanceof Promise)
        owed.then(
          () => this.#sendEnd(),
          () => this.#sendEnd(),
        );
      else this.#sendEnd();
      return;
    }
    this.#abort(`unexpected ${r.type} record`);
  }

  #sendEnd(): void {
    if (this.#state !== 'ending') return;
    const reuse = this.#opts.reuse;
    const s = this.socket;
    if (reuse !== undefined && !s.destroyed && !s.writableEnded && reuse.keep()) {
      s.pause();
      for (const off of this.#detach.splice(0)) off();
      s.write(END);
      this.#finish({ how: 'ended' });
      reuse.take(s, Uint8Array.from(this.#decoder.rest()));
      return;
    }
    s.end(END);
    this.#timer = setTimeout(() => s.destroy(), 5000);
  }

  #decide(p: Preamble): void {
    this.#preamble = p;
    this.#clearTimer();
    if (p.mode !== Mode.Duplex) {
      // This server speaks duplex sessions only (what NetTcpBinding uses).
      this.fault('UnsupportedMode');
      return;
    }
    if (p.upgrades.length > 0) {
      this.fault('UpgradeInvalid');
      return;
    }
    this.#state = 'deciding';
    const settle = (fault: FaultName | undefined): void => {
      if (this.#state !== 'deciding') return;
      if (fault !== undefined) {
        this.fault(fault);
        return;
      }
      this.#state = 'open';
      this.socket.write(encodeRecord({ type: 'preamble-ack' }));
      const held = this.#held;
      this.#held = [];
      for (const r of held) if (this.#state === 'open') this.#onRecord(r);
      const err = this.#heldError;
      this.#heldError = undefined;
      if (err !== undefined && this.#state === 'open') this.#onFramingError(err);
    };
    const d = this.#opts.onPreamble(p);
    if (d instanceof Promise) d.then(settle, () => this.fault('ServiceActivationFailed'));
    else settle(d);
  }

  #onClientEnd(): void {
    if (this.#state === 'ending') {
      this.#finish({ how: 'ended' });
      this.socket.destroy();
    } else if (this.#state !== 'done') {
      this.#finish({ how: 'closed', reason: 'client closed without End' });
      this.socket.destroy();
    }
  }

  #abort(reason: string): void {
    if (this.#state === 'done') return;
    abortConnection(this.socket);
    this.#finish({ how: 'aborted', reason });
  }

  #finish(end: SessionEnd): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#clearTimer();
    this.#report(end);
  }

  #reported = false;
  #report(end: SessionEnd): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#opts.onClose?.(end, this);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

// Serves one session on a socket.
export const serveSession = (socket: Socket, options: ServerSessionOptions): ServerSession =>
  new ServerSession(socket, options).start();
