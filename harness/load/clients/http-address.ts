// An HTTP load's or probe's address as a URL, and the request it sends: a path resolves against the
// target's HTTP address (a program target's httpPort; the reference host serves no HTTP), and {payload}
// in the SOAP parameters or the body becomes the load's seeded text.

import type { HttpRequestSpec, PlainRequestSpec, SoapCallSpec } from '../../../clients/http/index.ts';
import { HarnessError, HarnessErrorCode } from '../../errors.ts';
import { PAYLOAD_PLACEHOLDER, payloadText } from '../messages.ts';
import { seededRandom } from '../random.ts';
import type { LoadTarget } from './types.ts';

// The parsed fields an HTTP request comes from (a load's, or what a probe borrows from one).
export type HttpRequestFields = {
  url?: string | undefined;
  soap?: SoapCallSpec | undefined;
  request?: (PlainRequestSpec & { headers: Record<string, string> }) | undefined;
  payload: number;
};

// The absolute URL of `url` (a path: on the target's HTTP port; absent: its root).
export const httpUrlOf = (url: string | undefined, target: LoadTarget): string => {
  if (url !== undefined && !url.startsWith('/')) return url;
  if (target.httpPort === undefined)
    throw new HarnessError(
      HarnessErrorCode.NoHttpAddress,
      `the target serves no HTTP, so ${url ?? 'a load without a url'} has nothing to resolve against (give target.httpPort, or an http:// url)`,
    );
  const h = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `http://${h}:${target.httpPort}${url ?? '/'}`;
};

// The request of a load (or a probe at `url`, borrowing the load's SOAP call or plain request); `name`
// and `seed` pick the payload's stream, as for net.tcp loads.
export const httpRequestOf = (
  f: HttpRequestFields,
  o: { url: string; name: string; seed: number; timeoutMs: number; allowRemote: boolean },
): HttpRequestSpec => {
  const hasPayload =
    Object.values(f.soap?.params ?? {}).some(
      (v) => typeof v === 'string' && v.includes(PAYLOAD_PLACEHOLDER),
    ) ||
    (f.request?.body?.includes(PAYLOAD_PLACEHOLDER) ?? false);
  const text = hasPayload ? payloadText(seededRandom(o.seed, `payload:${o.name}`).bytes(f.payload)) : '';
  const fill = (v: string): string => v.replaceAll(PAYLOAD_PLACEHOLDER, text);
  const base = { url: o.url, timeoutMs: o.timeoutMs, allowRemote: o.allowRemote };
  if (f.soap !== undefined) {
    const params = Object.fromEntries(
      Object.entries(f.soap.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? fill(v) : v]),
    );
    return { ...base, soap: { ...f.soap, params } };
  }
  const r = f.request ?? { headers: {} };
  return { ...base, request: { ...r, ...(r.body === undefined ? {} : { body: fill(r.body) }) } };
};
