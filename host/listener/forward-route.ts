// A path served by an upstream net.tcp service instead of a worker: the listener connects to the
// upstream, replays the bytes it read (the Via passed or rewritten), and splices the two connections in
// this process. Pause applies (new connections get EndpointUnavailable; spliced ones carry on);
// there is no worker, so nothing recycles.

import { connect, type Socket } from 'node:net';
import type { ForwardConfig, ServiceConfig } from '../config.ts';
import type { EventSink } from '../events.ts';
import type { FaultName } from '../../protocol/index.ts';
import { resumeReading } from '../socket-reads.ts';
import type { Connection } from './connection.ts';
import type { RouteStatus } from './service-route.ts';
import { type Splice, splice } from './splice.ts';
import { parseUpstream, replayBytes, type Upstream, upstreamVia } from './upstream.ts';
import type { WorkerProcess } from './worker-process.ts';
import { HostError, HostErrorCode } from '../errors.ts';

export type ForwardContext = {
  events: EventSink;
  refuse: (conn: Connection, fault: FaultName, reason: string) => void;
};

// How long close() waits for spliced pairs to report their end after cutting them.
const CLOSE_BOUND_MS = 2000;

export class ForwardRoute {
  readonly path: string;
  readonly forward: ForwardConfig;
  readonly upstream: Upstream;
  #ctx: ForwardContext;
  #paused = false;
  #closing = false;
  #connecting = new Map<Socket, Connection>();
  #open = new Set<Splice>();
  #ended: (() => void) | undefined;
  #opened = 0;
  #failed = 0;

  constructor(service: ServiceConfig & { forward: ForwardConfig }, ctx: ForwardContext) {
    const upstream = parseUpstream(service.forward.to);
    // The configuration was validated; a bad address here is a bug, not input.
    if (upstream === undefined)
      throw new HostError(HostErrorCode.InvalidConfig, `not a net.tcp address: ${service.forward.to}`);
    this.path = service.path;
    this.forward = service.forward;
    this.upstream = upstream;
    this.#ctx = ctx;
  }

  get paused(): boolean {
    return this.#paused;
  }

  // A forwarding route has no worker processes.
  get workers(): WorkerProcess[] {
    return [];
  }

  // Nothing to start: the upstream is dialled per connection.
  async start(): Promise<void> {}

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
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
    const via = upstreamVia(conn.preamble.via, this.path, this.upstream, this.forward.via);
    // From here only the splice reads the client: the listener's reads stop, what it read is replayed.
    const bytes = replayBytes(conn.takeBytes(), conn.preamble.via, via);
    const socket = connect({ host: this.upstream.host, port: this.upstream.port, allowHalfOpen: true });
    this.#connecting.set(socket, conn);
    const fail = (reason: string): void => {
      clearTimeout(timer);
      this.#connecting.delete(socket);
      socket.destroy();
      if (conn.left) return;
      this.#failed++;
      this.#ctx.events({
        event: 'forward-failed',
        path: this.path,
        id: conn.id,
        to: this.forward.to,
        reason,
        ms: performance.now() - conn.readAt,
      });
      this.#ctx.refuse(
        conn,
        'EndpointUnavailable',
        `the upstream ${this.forward.to} is unreachable: ${reason}`,
      );
    };
    const onError = (e: NodeJS.ErrnoException): void => fail(e.code ?? e.message);
    const timer = setTimeout(
      () => fail(`no connection within ${this.forward.connectTimeoutMs}ms`),
      this.forward.connectTimeoutMs,
    );
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      this.#connecting.delete(socket);
      // The client left while the upstream answered (or the host is closing).
      if (this.#closing || !conn.forwarded()) {
        socket.destroy();
        return;
      }
      this.#opened++;
      this.#ctx.events({
        event: 'forward-open',
        path: this.path,
        id: conn.id,
        to: this.forward.to,
        via,
        ms: performance.now() - conn.readAt,
      });
      socket.write(bytes);
      const s = splice(
        conn.socket,
        socket,
        (end) => {
          this.#open.delete(s);
          this.#ctx.events({
            event: 'forward-closed',
            path: this.path,
            id: conn.id,
            ...end,
            ms: performance.now() - conn.readAt,
          });
          if (this.#open.size === 0) this.#ended?.();
        },
        bytes.length,
      );
      this.#open.add(s);
      // takeBytes stopped the handle's reads; the splice listens now, so the client is read again.
      resumeReading(conn.socket);
    });
  }

  status(): RouteStatus {
    return {
      path: this.path,
      paused: this.#paused,
      state: 'forwarding',
      workerPid: null,
      forward: {
        to: this.forward.to,
        via: this.forward.via,
        open: this.#open.size,
        opened: this.#opened,
        failed: this.#failed,
      },
    };
  }

  // Cuts every spliced pair and every connection still waiting for the upstream.
  async close(): Promise<void> {
    this.#closing = true;
    for (const [socket, conn] of this.#connecting) {
      socket.destroy();
      conn.drop();
    }
    this.#connecting.clear();
    if (this.#open.size === 0) return;
    const ended = new Promise<void>((resolve) => (this.#ended = resolve));
    for (const s of [...this.#open]) s.close();
    await Promise.race([ended, new Promise((r) => setTimeout(r, CLOSE_BOUND_MS).unref())]);
  }
}
