// A single-process MC-NMF echo endpoint: the simplest net.tcp server, for probes, tests and benches.

import { createServer, type Server } from 'node:net';
import { echoReply, type FaultName } from '../protocol/index.ts';
import { pathCovers } from './listener/routes.ts';
import { type ServerSession, serveSession } from './server-session.ts';

export type EchoEndpointOptions = {
  host?: string;
  port?: number;
  // Paths served (prefix match on the via's path); anything else gets EndpointNotFound. Default: all.
  paths?: string[];
  maxEnvelope?: number;
  receiveTimeoutMs?: number;
};

export type EchoEndpoint = {
  port: number;
  host: string;
  // The net.tcp URL of a path on this endpoint.
  url(path?: string): string;
  // Sessions currently open.
  readonly sessions: number;
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
  const server: Server = createServer((socket) => {
    const s = serveSession(socket, {
      limits: options.maxEnvelope === undefined ? undefined : { maxEnvelope: options.maxEnvelope },
      receiveTimeoutMs: options.receiveTimeoutMs ?? 10_000,
      onPreamble: (p): FaultName | undefined =>
        routeMatches(options.paths, p.via) ? undefined : 'EndpointNotFound',
      onMessage: (payload, reply) => reply(echoReply(payload)),
      onClose: () => live.delete(s),
    });
    live.add(s);
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of live) s.abort('endpoint closing');
        server.close(() => resolve());
      }),
  };
};
