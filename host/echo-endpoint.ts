// A single-process MC-NMF echo endpoint: the simplest net.tcp server, for probes, tests and benches.

import { createServer, type Server, type Socket } from 'node:net';
import { echoReply, type FaultName } from '../protocol/index.ts';
import { IdleConnections } from './idle-connections.ts';
import { pathCovers } from './listener/routes.ts';
import { type ServerSession, serveSession } from './server-session.ts';

export type EchoEndpointOptions = {
  host?: string;
  port?: number;
  // Paths served (prefix match on the via's path); anything else gets EndpointNotFound. Default: all.
  paths?: string[];
  maxEnvelope?: number;
  receiveTimeoutMs?: number;
  // Keep a cleanly ended session's connection for the client's next session, as WCF services do
  // (host/idle-connections.ts); without it the endpoint closes after End.
  keepConnections?: boolean;
};

export type EchoEndpoint = {
  port: number;
  host: string;
  // The net.tcp URL of a path on this endpoint.
  url(path?: string): string;
  // Sessions currently open.
  readonly sessions: number;
  // Connections accepted, sessions served on kept connections, and kept connections waiting now
  // (keepConnections).
  readonly accepted: number;
  readonly reused: number;
  readonly idle: number;
  close(): Promise<void>;
};

const routeMatches = (paths: string[] | undefined, via: string): boolean => {
  if (paths === undefined) return true;
  let path: string;
  try {
    path = new URL(via).pathname;
  } catch {
    return false;
  }
  return paths.some((p) => pathCovers(p, path));
};

// Starts an echo endpoint on loopback; every message is answered with its own bytes (an op framing
// request with an ok reply carrying its payload).
export const startEchoEndpoint = async (options: EchoEndpointOptions = {}): Promise<EchoEndpoint> => {
  const host = options.host ?? '127.0.0.1';
  const live = new Set<ServerSession>();
  let accepted = 0;
  const idle = new IdleConnections({ next: (socket, bytes) => serve(socket, bytes) });
  const reuse = options.keepConnections
    ? { keep: () => idle.canKeep(), take: (s: Socket, rest: Uint8Array) => idle.keep(s, rest) }
    : undefined;
  const serve = (socket: Socket, initial?: Uint8Array): void => {
    const s = serveSession(socket, {
      initial,
      reuse,
      limits: options.maxEnvelope === undefined ? undefined : { maxEnvelope: options.maxEnvelope },
      receiveTimeoutMs: options.receiveTimeoutMs ?? 10_000,
      onPreamble: (p): FaultName | undefined =>
        routeMatches(options.paths, p.via) ? undefined : 'EndpointNotFound',
      onMessage: (payload, reply) => reply(echoReply(payload)),
      onClose: () => live.delete(s),
    });
    live.add(s);
    // A kept connection comes back paused.
    socket.resume();
  };
  const server: Server = createServer((socket) => {
    accepted++;
    serve(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    host,
    url: (path = '/echo') => `net.tcp://${urlHost}:${port}${path}`,
    get sessions() {
      return live.size;
    },
    get accepted() {
      return accepted;
    },
    get reused() {
      return idle.reused;
    },
    get idle() {
      return idle.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        idle.closeAll();
        for (const s of live) s.abort('endpoint closing');
        server.close(() => resolve());
      }),
  };
};
