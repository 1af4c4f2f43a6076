// A via as a dial target. With a network proxy, relative vias dial the proxy (their via still names
// the target, as a transparent proxy's clients would); absolute vias dial what they name.

import type { NetTcpTarget } from '../../../clients/nettcp/index.ts';
import { viaOf } from '../../../faults/common.ts';
import type { LoadTarget } from './types.ts';

export const resolveVia = (via: string, target: LoadTarget): NetTcpTarget => {
  const url = via.startsWith('/') ? viaOf(target, via) : via;
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const proxy = target.proxy;
  return {
    host,
    port: u.port === '' ? 808 : Number(u.port),
    path: u.pathname,
    via: url,
    // Relative vias dial the target itself; absolute ones were checked to be loopback (or allowed).
    ip: via.startsWith('/') ? (target.ip ?? target.host) : host === 'localhost' ? '127.0.0.1' : host,
    ...(proxy !== undefined && via.startsWith('/') ? { ip: proxy.host, port: proxy.port } : {}),
  };
};
