// `nettcp-chaos probe http://HOST:PORT/PATH`: the HTTP twin of the net.tcp probe. Each request goes on a
// fresh connection within the deadline (the run's HTTP listener probe, clients/http/probe.ts): a SOAP call
// as BasicHttpBinding (SOAP 1.1, the default) or WSHttpBinding without security (--soap 1.2) sends it, or
// a plain request (--method, --header, --body); its status, time and how the reply was judged.

import {
  describeHttpFailure,
  type HttpFailure,
  type HttpRequestSpec,
  prepareRequest,
  probeHttp,
} from '../../clients/http/index.ts';
import { formatDuration } from '../../model/duration.ts';
import { UsageError, shown } from './usage.ts';

// What the flags ask of an HTTP probe.
export type HttpProbeOptions = {
  spec: HttpRequestSpec;
  // Requests, one after another, each on a fresh connection.
  requests: number;
};

// One request's outcome.
export type HttpProbeStep = {
  request: number;
  ms: number;
  ok: boolean;
  status?: number;
  failure?: HttpFailure;
};

export type HttpProbeReport = {
  url: string;
  // "SOAP 1.1 Echo", "GET /health".
  sends: string;
  ok: boolean;
  requests: HttpProbeStep[];
  failure?: HttpFailure & { description: string };
};

// The flags an HTTP probe reads (the rest of probe's are net.tcp's).
export type HttpProbeFlags = {
  soap?: string | undefined;
  operation?: string | undefined;
  action?: string | undefined;
  param?: string[] | undefined;
  contract?: string | undefined;
  namespace?: string | undefined;
  to?: string | undefined;
  method?: string | undefined;
  header?: string[] | undefined;
  body?: string | undefined;
  'expect-body'?: string | undefined;
};

// `NAME=VALUE` or `NAME: VALUE` flags, by name.
const pairs = (flag: string, items: string[], sep: RegExp): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const f of items) {
    const m = sep.exec(f);
    if (m === null || m.index === 0)
      throw new UsageError(`--${flag}: expected NAME${flag === 'header' ? ': ' : '='}VALUE, got ${shown(f)}`);
    out[f.slice(0, m.index)] = f.slice(m.index + m[0].length);
  }
  return out;
};

// The request the flags describe: a plain one with --method, --header, --body or --expect-body, else a SOAP
// call (Echo of `text` by default).
export const httpRequestOfFlags = (
  url: string,
  v: HttpProbeFlags,
  o: { timeoutMs: number; allowRemote: boolean; text: string },
): HttpRequestSpec => {
  const plain =
    v.method !== undefined ||
    v.header !== undefined ||
    v.body !== undefined ||
    v['expect-body'] !== undefined;
  const soapFlag = (['soap', 'operation', 'action', 'param', 'contract', 'namespace', 'to'] as const).find(
    (k) => v[k] !== undefined,
  );
  if (plain && soapFlag !== undefined)
    throw new UsageError(
      `--${soapFlag} goes with a SOAP call, not a plain request (--method, --header, --body)`,
    );
  const base = { url, timeoutMs: o.timeoutMs, allowRemote: o.allowRemote };
  if (plain)
    return {
      ...base,
      request: {
        ...(v.method === undefined ? {} : { method: v.method }),
        headers: pairs('header', v.header ?? [], /:\s*/),
        ...(v.body === undefined ? {} : { body: v.body }),
        ...(v['expect-body'] === undefined ? {} : { expectBody: v['expect-body'] }),
      },
    };
  const version = v.soap ?? '1.1';
  if (version !== '1.1' && version !== '1.2')
    throw new UsageError(`--soap: 1.1 (BasicHttpBinding) or 1.2 (WSHttpBinding), got ${shown(version)}`);
  const given = pairs('param', v.param ?? [], /=/);
  const params =
    v.operation === undefined && v.action === undefined && v.param === undefined ? { text: o.text } : given;
  return {
    ...base,
    soap: {
      version,
      operation: v.operation ?? 'Echo',
      params,
      ...(v.action === undefined ? {} : { action: v.action }),
      ...(v.contract === undefined ? {} : { contract: v.contract }),
      ...(v.namespace === undefined ? {} : { namespace: v.namespace }),
      ...(v.to === undefined ? {} : { to: v.to }),
    },
  };
};

// Probes: `requests` requests, one after another. Never throws for what the server does.
export const probeHttpUrl = async (o: HttpProbeOptions): Promise<HttpProbeReport> => {
  const sends = prepareRequest(o.spec).label;
  const requests: HttpProbeStep[] = [];
  for (let i = 1; i <= o.requests; i++) {
    const r = await probeHttp(o.spec);
    requests.push({ request: i, ...r });
    if (!r.ok) break;
  }
  const failed = requests.find((r) => !r.ok)?.failure;
  return {
    url: o.spec.url,
    sends,
    ok: failed === undefined,
    requests,
    ...(failed === undefined ? {} : { failure: { ...failed, description: describeHttpFailure(failed) } }),
  };
};

const ms = (v: number): string => (v < 1000 ? `${v.toFixed(2)}ms` : formatDuration(v));

// The probe as text for people.
export const renderHttpProbe = (r: HttpProbeReport): string => {
  const u = new URL(r.url);
  const lines = [`probe ${r.url} (${u.hostname}:${u.port || 80}; ${r.sends}, a fresh connection each)`];
  for (const s of r.requests) {
    const status = s.status === undefined ? 'no reply' : `HTTP ${s.status}`;
    lines.push(
      `  ${s.ok ? 'ok ' : 'ERR'} ${`request ${s.request}`.padEnd(11)} ${ms(s.ms).padStart(10)}  ${status}`,
    );
  }
  const n = r.requests.length;
  lines.push(
    r.failure === undefined
      ? `ok: ${n} request${n === 1 ? '' : 's'} answered`
      : `failed: ${r.failure.description} (${r.failure.kind} during ${r.failure.stage === 'connect' ? 'connect' : 'the request'})`,
  );
  return lines.join('\n');
};
