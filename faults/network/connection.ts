// One proxied connection: the client's socket, a socket to the target, and a Link each way. Closes
// pass through as closes (half-close kept), a reset or error on one side resets the other.

import { connect, type Socket } from 'node:net';
import { Link } from './link.ts';
import type { Stream } from './toxic-spec.ts';

// How long a close waits for the peer to take what was written before the socket is destroyed.
const CLOSE_GRACE_MS = 1000;

// A client connection and its connection to the target.
export class ProxyConnection {
  readonly id: number;
  readonly links: Readonly<Record<Stream, Link>>;
  readonly #client: Socket;
  readonly #server: Socket;
  #over = false;

  constructor(id: number, client: Socket, target: { host: string; port: number }, onGone: () => void) {
    this.id = id;
    this.#client = client;
    // Nothing is read from the client until the target has answered the connect.
    client.pause();
    client.setNoDelay(true);
    const server = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.#server = server;
    this.links = {
      upstream: new Link('upstream', client, server),
      downstream: new Link('downstream', server, client),
    };
    server.once('connect', () => client.resume());
    let closed = 0;
    for (const s of [client, server]) {
      // An error (the target refused, a peer reset) breaks the connection: the other side is reset.
      s.on('error', () => this.reset());
      s.once('close', () => {
        if (++closed < 2) return;
        this.#dispose();
        onGone();
      });
    }
  }

  // Whether both sockets are still open for data.
  get open(): boolean {
    return !this.#over;
  }

  // Ends the connection on both sides (FIN), then lets the sockets go.
  close(): void {
    if (this.#over) return;
    this.#dispose();
    for (const s of [this.#client, this.#server]) {
      if (s.destroyed) continue;
      const t = setTimeout(() => s.destroy(), CLOSE_GRACE_MS);
      s.end(() => {
        clearTimeout(t);
        s.destroy();
      });
    }
  }

  // Resets the connection on both sides (RST).
  reset(): void {
    if (this.#over && this.#client.destroyed && this.#server.destroyed) return;
    this.#dispose();
    for (const s of [this.#client, this.#server]) if (!s.destroyed) s.resetAndDestroy();
  }

  // Drops both sockets at once (the proxy is stopping).
  destroy(): void {
    this.#dispose();
    this.#client.destroy();
    this.#server.destroy();
  }

  #dispose(): void {
    this.#over = true;
    this.links.upstream.dispose();
    this.links.downstream.dispose();
  }
}
