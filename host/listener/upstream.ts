// A forwarding route's upstream: its address parsed, whether it stays on loopback, and the Via record
// the replayed preamble carries to it.

import { isIP } from 'node:net';
import { encodeRecord, FramingDecoder } from '../../protocol/index.ts';
import type { ForwardViaMode } from '../config.ts';

// Where an upstream listens, and its address as written.
export type Upstream = { host: string; port: number; path: string; url: string };

// The port a net.tcp URI means when it names none.
const NET_TCP_PORT = 808;

// Parses net.tcp://HOST[:PORT][/PATH]; undefined for anything else (user info included).
export const parseUpstream = (to: string): Upstream | undefined => {
  let u: URL;
  try {
    u = new URL(to);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'net.tcp:' || u.hostname === '' || u.username !== '' || u.password !== '')
    return undefined;
  const port = u.port === '' ? NET_TCP_PORT : Number(u.port);
  if (!(port > 0)) return undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    path: u.pathname === '' ? '/' : u.pathname,
    url: to,
  };
};

// Whether a host name or IP literal is loopback, without resolving it (localhost counts).
export const isLoopbackHost = (host: string): boolean => {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
};

const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

// The via the upstream sees. `pass`: the client's own. `rewrite`: the upstream's address, with the part
// of the client's path below the route's path appended (route /orders, via /orders/v2, upstream
// net.tcp://127.0.0.1:9000/svc: net.tcp://127.0.0.1:9000/svc/v2).
export const upstreamVia = (
  clientVia: string,
  routePath: string,
  upstream: Upstream,
  mode: ForwardViaMode,
): string => {
  if (mode === 'pass') return clientVia;
  const u = new URL(clientVia);
  const base = routePath.endsWith('/') ? routePath.slice(0, -1) : routePath;
  const below = u.pathname.startsWith(base) ? u.pathname.slice(base.length) : '';
  const path = `${upstream.path.replace(/\/$/, '')}${below}` || '/';
  return `net.tcp://${bracketed(upstream.host)}:${upstream.port}${path}${u.search}`;
};

// The bytes to replay to the upstream: every byte read from the client, with the Via record (which the
// listener has read whole) replaced when the via changes. The client's own encoding of the other records
// (overlong integers included) goes through as it came.
export const replayBytes = (read: Buffer, clientVia: string, via: string): Buffer => {
  if (via === clientVia) return read;
  const toVia = new FramingDecoder({ stopAfter: (r) => r.type === 'mode' });
  toVia.push(read);
  const afterMode = toVia.rest();
  const pastVia = new FramingDecoder({ stopAfter: (r) => r.type === 'via' });
  pastVia.push(afterMode);
  const start = read.length - afterMode.length;
  const end = read.length - pastVia.rest().length;
  return Buffer.concat([read.subarray(0, start), encodeRecord({ type: 'via', via }), read.subarray(end)]);
};
