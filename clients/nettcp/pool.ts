// A client's pool of connections kept after sessions that ended cleanly, for the next session to the same
// endpoint, as the .NET client's connection pool keeps them (TcpConnectionPoolSettings:
// MaxOutboundConnectionsPerEndpoint idle connections per endpoint, 10 by default, each kept IdleTimeout,
// 2 minutes). A connection is kept only if the server kept its end too (it sent End without closing); the
// next session writes its preamble on it, and if the server closed it meanwhile, opens a new connection
// (openSession does), as the .NET client does.

import type { Socket } from 'node:net';
import type { NetTcpTarget } from './address.ts';

export type ConnectionPoolOptions = {
  // Idle connections kept per endpoint (MaxOutboundConnectionsPerEndpoint).
  maxIdle?: number;
  // How long an idle connection is kept.
  idleTimeoutMs?: number;
};

type Idle = { socket: Socket; timer: NodeJS.Timeout; drop: () => void };

// What a pool did, since it was made.
export type PoolCounts = {
  // Sessions opened on a kept connection, and of those, how many found it closed and opened another.
  reused: number;
  stale: number;
  // Connections kept after their session, and those closed instead (the pool was full, or closed).
  kept: number;
  discarded: number;
};

export class ConnectionPool {
  readonly maxIdle: number;
  readonly idleTimeoutMs: number;
  readonly counts: PoolCounts = { reused: 0, stale: 0, kept: 0, discarded: 0 };
  #idle = new Map<string, Idle[]>();
  #closed = false;

  constructor(options: ConnectionPoolOptions = {}) {
    this.maxIdle = options.maxIdle ?? 10;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
  }

  // The endpoint a connection serves: where it goes and the via its sessions announce.
  static keyOf(target: NetTcpTarget): string {
    return `${target.ip}|${target.port}|${target.via}`;
  }

  // Idle connections, all endpoints together.
  get idle(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.length;
    return n;
  }

  // Takes the most recently kept idle connection to the endpoint, if any.
  take(key: string): Socket | undefined {
    const list = this.#idle.get(key);
    const e = list?.pop();
    if (e === undefined) return undefined;
    if (list!.length === 0) this.#idle.delete(key);
    clearTimeout(e.timer);
    e.drop();
    e.socket.ref();
    this.counts.reused++;
    return e.socket;
  }

  // Whether a connection to the endpoint would be kept now.
  canKeep(key: string): boolean {
    return !this.#closed && (this.#idle.get(key)?.length ?? 0) < this.maxIdle;
  }

  // Keeps a connection whose session ended cleanly (its session's listeners removed); closes it when the
  // pool cannot keep it. An idle connection the server closes, or that receives anything, is dropped.
  keep(key: string, socket: Socket): void {
    if (!this.canKeep(key) || socket.destroyed) {
      this.counts.discarded++;
      socket.destroy();
      return;
    }
    const gone = (): void => {
      remove();
      socket.destroy();
    };
    const drop = (): void => {
      socket.off('data', gone);
      socket.off('end', gone);
      socket.off('error', gone);
      socket.off('close', gone);
    };
    const e: Idle = { socket, drop, timer: setTimeout(gone, this.idleTimeoutMs) };
    e.timer.unref();
    const remove = (): void => {
      clearTimeout(e.timer);
      drop();
      const list = this.#idle.get(key);
      const i = list?.indexOf(e) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      if (list?.length === 0) this.#idle.delete(key);
    };
    socket.on('data', gone);
    socket.on('end', gone);
    socket.on('error', gone);
    socket.on('close', gone);
    // An idle connection does not keep the process alive.
    socket.unref();
    let list = this.#idle.get(key);
    if (list === undefined) this.#idle.set(key, (list = []));
    list.push(e);
    this.counts.kept++;
  }

  // Counts a kept connection that turned out closed when a session took it.
  stale(): void {
    this.counts.stale++;
  }

  // Closes every idle connection and keeps none from now on.
  close(): void {
    this.#closed = true;
    for (const list of this.#idle.values()) {
      for (const e of list) {
        clearTimeout(e.timer);
        e.drop();
        e.socket.destroy();
      }
    }
    this.#idle.clear();
  }
}
