// Connections a WCF service keeps after a session ended cleanly (End both ways), for the client's next
// session on the same connection: CoreWCF's ConnectionReuseHandler, .NET Framework's
// ConnectionDemuxer.ReuseConnection. The .NET client pools such a connection and writes its next
// preamble on it. Each kept connection waits up to the idle timeout for its first byte, then goes back to
// be served as a new session (the preamble read from scratch); at most `max` wait at once.

import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';

// ConnectionPoolSettings.IdleTimeout's default: two minutes.
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

// How many connections may wait at once. WCF's server side takes MaxOutboundConnectionsPerEndpoint, whose
// default there resolves to its maximum connections, 12 per processor (.NET 4.5's
// GetMaxConnections/GetMaxPendingConnections); a session that ends with that many waiting is closed.
export const defaultMaxIdle = (): number => 12 * availableParallelism();

export type IdleConnectionsOptions = {
  max?: number;
  idleTimeoutMs?: number;
  // A kept connection's next session began: `bytes` are the first bytes it sent (read, not replayed).
  next: (socket: Socket, bytes: Uint8Array) => void;
};

type Waiting = { socket: Socket; timer: NodeJS.Timeout; detach: () => void };

export class IdleConnections {
  readonly max: number;
  readonly idleTimeoutMs: number;
  #next: (socket: Socket, bytes: Uint8Array) => void;
  #waiting = new Set<Waiting>();
  #closed = false;
  #reused = 0;

  constructor(options: IdleConnectionsOptions) {
    this.max = options.max ?? defaultMaxIdle();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#next = options.next;
  }

  // Connections waiting for their next session now.
  get size(): number {
    return this.#waiting.size;
  }

  // Connections that came back with a next session, since the start.
  get reused(): number {
    return this.#reused;
  }

  // Whether one more connection may be kept now.
  canKeep(): boolean {
    return !this.#closed && this.#waiting.size < this.max;
  }

  // Keeps a connection whose session just ended; `rest` holds bytes already read past that session's
  // End (the next session's, if the client did not wait for the server's End). The caller has stopped
  // its own reads of the socket (paused) and removed its listeners.
  keep(socket: Socket, rest: Uint8Array): void {
    if (socket.destroyed) return;
    if (rest.length > 0) {
      this.#reused++;
      this.#next(socket, rest);
      return;
    }
    if (!this.canKeep()) {
      socket.destroy();
      return;
    }
    const onData = (chunk: Buffer): void => {
      // Whatever follows stays in the stream, paused, until the next session reads it.
      socket.pause();
      done();
      this.#reused++;
      this.#next(socket, chunk);
    };
    // The client closed its pooled connection, or it broke: nothing more will come.
    const onGone = (): void => {
      done();
      socket.destroy();
    };
    const detach = (): void => {
      socket.off('data', onData);
      socket.off('end', onGone);
      socket.off('error', onGone);
      socket.off('close', onGone);
    };
    const w: Waiting = {
      socket,
      detach,
      timer: setTimeout(() => onGone(), this.idleTimeoutMs),
    };
    const done = (): void => {
      clearTimeout(w.timer);
      detach();
      this.#waiting.delete(w);
    };
    this.#waiting.add(w);
    socket.on('data', onData);
    socket.once('end', onGone);
    socket.on('error', onGone);
    socket.once('close', onGone);
    socket.resume();
  }

  // Closes every waiting connection and keeps none from now on (the service is stopping).
  closeAll(): void {
    this.#closed = true;
    for (const w of this.#waiting) {
      clearTimeout(w.timer);
      w.detach();
      w.socket.destroy();
    }
    this.#waiting.clear();
  }
}
