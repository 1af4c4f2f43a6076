// What an HTTP load or probe asks for: the endpoint, one request (a SOAP call built like a net.tcp
// session's `soap` block, or a plain request), and for a load its model. Durations are milliseconds.

import { constantArrivals, rampArrivals, type Schedule } from '../../model/arrivals.ts';
import { SOAP_VERSIONS, type SoapVersion } from '../../protocol/index.ts';
import { HttpClientError, type SpecProblem } from './errors.ts';

// A SOAP call: BasicHttpBinding (1.1) or WSHttpBinding without security (1.2).
export type SoapCallSpec = {
  version: SoapVersion;
  operation: string;
  params?: Readonly<Record<string, string | number | boolean>>;
  // Default IInteropService and http://tempuri.org/; the action defaults to {namespace}{contract}/{operation}.
  contract?: string;
  namespace?: string;
  action?: string;
  // SOAP 1.2: the To header (default: the url) and the MessageID every request carries (default: one
  // urn:uuid per load; the request is built once).
  to?: string;
  messageId?: string;
  // The result the reply must carry; default for Echo: its one parameter's value.
  expect?: string;
};

// A plain request; `path` (default: the url's) and the url's origin make the target.
export type PlainRequestSpec = {
  method?: string;
  path?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  // The body a reply must carry, byte for byte.
  expectBody?: string;
};

// The request half of a spec, shared by loads and the probe.
export type HttpRequestSpec = {
  // http://HOST:PORT/PATH: the endpoint's address.
  url: string;
  soap?: SoapCallSpec;
  request?: PlainRequestSpec;
  // How long a request may wait for its response (ms; a load's at least 1000, autocannon's shortest).
  timeoutMs?: number;
  // Load goes to loopback only unless this is set.
  allowRemote?: boolean;
};

// An open model's connection pool: `connections` keep-alive connections with `pipelining` requests each
// in flight at most; arrivals wait for a free one, and `maxInFlight` (waiting and sent) caps them: an arrival
// beyond it is dropped, as maxSessions drops net.tcp sessions.
export type OpenPool = { connections?: number; pipelining?: number; maxInFlight?: number };

// The load models, as the net.tcp loads name them; constant-sessions is N connections, each keeping
// `pipelining` requests in flight. Or `schedule`: a schedule as a load model gives it (model/arrivals.ts),
// which is how the harness drives the engine: a closed schedule's lanes are the connections, an open one's
// arrivals take the pool's slots and its maxInFlight caps them.
export type HttpModelSpec =
  | { model: 'constant-sessions'; connections: number; pipelining?: number; duration: number }
  | ({ model: 'constant-arrival-rate'; rate: number; duration: number } & OpenPool)
  | ({
      model: 'ramping-arrival-rate';
      startRate?: number;
      stages: readonly { target: number; duration: number }[];
    } & OpenPool)
  | { model: 'schedule'; schedule: Schedule; connections?: number; pipelining?: number };

// One HTTP load.
export type HttpLoadSpec = HttpRequestSpec & HttpModelSpec;

// Defaults.
export const HTTP_DEFAULTS = { timeoutMs: 5000, connections: 16, pipelining: 1, maxInFlight: 1000 } as const;

// The schedule a checked load spec follows: its model's, from the same arrival times the net.tcp loads use.
export const scheduleOf = (s: HttpModelSpec): Schedule => {
  switch (s.model) {
    case 'constant-sessions':
      return { kind: 'closed', lanes: s.connections, durationMs: s.duration };
    case 'constant-arrival-rate':
      return {
        kind: 'open',
        arrivals: () => constantArrivals(s.rate, s.duration),
        durationMs: s.duration,
        maxInFlight: s.maxInFlight ?? HTTP_DEFAULTS.maxInFlight,
      };
    case 'ramping-arrival-rate':
      return {
        kind: 'open',
        arrivals: () => rampArrivals(s.startRate ?? 0, s.stages),
        durationMs: s.stages.reduce((n, x) => n + x.duration, 0),
        maxInFlight: s.maxInFlight ?? HTTP_DEFAULTS.maxInFlight,
      };
    case 'schedule':
      return s.schedule;
  }
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isStringMap = (v: unknown): boolean =>
  isObject(v) && Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x));
// Characters that would end an HTTP header line.
// eslint-disable-next-line no-control-regex -- control characters cannot travel in an HTTP header
const CONTROL = /[\u0000-\u001f\u007f]/;

const requestProblems = (s: HttpRequestSpec, minTimeoutMs: number): SpecProblem[] => {
  const p: SpecProblem[] = [];
  const url = typeof s.url === 'string' && URL.canParse(s.url) ? new URL(s.url) : undefined;
  if (url === undefined || url.protocol !== 'http:')
    p.push({ field: 'url', expected: 'an http:// URL such as http://127.0.0.1:8080/basic', got: s.url });
  if ((s.soap === undefined) === (s.request === undefined))
    p.push({ field: 'soap', expected: 'exactly one of soap and request', got: s.soap ?? s.request });
  if (s.timeoutMs !== undefined && !(isPositive(s.timeoutMs) && s.timeoutMs >= minTimeoutMs))
    p.push({ field: 'timeoutMs', expected: `a timeout of at least ${minTimeoutMs} ms`, got: s.timeoutMs });
  const soap = s.soap;
  if (soap !== undefined) {
    if (!SOAP_VERSIONS.includes(soap.version))
      p.push({ field: 'soap.version', expected: 'a SOAP version: 1.1 or 1.2', got: soap.version });
    if (typeof soap.operation !== 'string' || soap.operation === '')
      p.push({
        field: 'soap.operation',
        expected: 'the operation name (for example Echo)',
        got: soap.operation,
      });
    if (soap.params !== undefined && !isStringMap(soap.params))
      p.push({
        field: 'soap.params',
        expected: 'the operation parameters by name: { text: hello }',
        got: soap.params,
      });
    for (const k of ['contract', 'namespace', 'action', 'to', 'messageId', 'expect'] as const) {
      const v = soap[k];
      if (v !== undefined && typeof v !== 'string')
        p.push({ field: `soap.${k}`, expected: 'a string', got: v });
    }
    if (typeof soap.action === 'string' && CONTROL.test(soap.action))
      p.push({ field: 'soap.action', expected: 'an action without control characters', got: soap.action });
  }
  const r = s.request;
  if (r !== undefined) {
    if (r.method !== undefined && !/^[A-Z]+$/.test(r.method))
      p.push({ field: 'request.method', expected: 'an HTTP method such as GET or POST', got: r.method });
    if (r.path !== undefined && !(typeof r.path === 'string' && r.path.startsWith('/') && !/\s/.test(r.path)))
      p.push({ field: 'request.path', expected: 'a path starting with / and without spaces', got: r.path });
    if (
      r.headers !== undefined &&
      !(
        isObject(r.headers) &&
        Object.entries(r.headers).every(
          ([k, v]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && typeof v === 'string' && !CONTROL.test(v),
        )
      )
    )
      p.push({
        field: 'request.headers',
        expected: 'header names and values without control characters',
        got: r.headers,
      });
    for (const k of ['body', 'expectBody'] as const) {
      const v = r[k];
      if (v !== undefined && typeof v !== 'string')
        p.push({ field: `request.${k}`, expected: 'a string', got: v });
    }
  }
  return p;
};

const poolProblems = (s: OpenPool & { pipelining?: number }, p: SpecProblem[]): void => {
  for (const k of ['connections', 'pipelining', 'maxInFlight'] as const) {
    const v = s[k];
    if (v !== undefined && !isPositiveInt(v))
      p.push({ field: k, expected: 'a positive whole number', got: v });
  }
};

// Refuses a request spec with every problem at once (HTTP_BAD_SPEC).
export const checkRequestSpec = (s: HttpRequestSpec, what = 'probe'): void => {
  const p = requestProblems(s, 1);
  if (p.length > 0) throw HttpClientError.badSpec(what, p);
};

// Refuses a load spec with every problem at once (HTTP_BAD_SPEC).
export const checkLoadSpec = (s: HttpLoadSpec, what = 'load'): void => {
  const p = requestProblems(s, 1000);
  switch (s.model) {
    case 'constant-sessions':
      if (!isPositiveInt(s.connections))
        p.push({ field: 'connections', expected: 'a positive number of connections', got: s.connections });
      if (!isPositive(s.duration))
        p.push({ field: 'duration', expected: 'a positive duration (ms)', got: s.duration });
      poolProblems({ pipelining: s.pipelining }, p);
      break;
    case 'constant-arrival-rate':
      if (!isPositive(s.rate))
        p.push({ field: 'rate', expected: 'a positive number of requests per second', got: s.rate });
      if (!isPositive(s.duration))
        p.push({ field: 'duration', expected: 'a positive duration (ms)', got: s.duration });
      poolProblems(s, p);
      break;
    case 'ramping-arrival-rate':
      if (s.startRate !== undefined && !(typeof s.startRate === 'number' && s.startRate >= 0))
        p.push({ field: 'startRate', expected: 'a start rate of 0 or more per second', got: s.startRate });
      if (!Array.isArray(s.stages) || s.stages.length === 0)
        p.push({ field: 'stages', expected: 'a list of stages, each { target, duration }', got: s.stages });
      else
        s.stages.forEach((st, i) => {
          if (!(isObject(st) && typeof st.target === 'number' && st.target >= 0 && isPositive(st.duration)))
            p.push({
              field: `stages[${i}]`,
              expected: '{ target: RATE (0 or more), duration: ms (positive) }',
              got: st,
            });
        });
      poolProblems(s, p);
      break;
    case 'schedule': {
      const x: unknown = s.schedule;
      const ok =
        isObject(x) &&
        isPositive(x['durationMs']) &&
        ((x['kind'] === 'closed' && isPositiveInt(x['lanes'])) ||
          (x['kind'] === 'open' && typeof x['arrivals'] === 'function' && isPositiveInt(x['maxInFlight'])));
      if (!ok)
        p.push({
          field: 'schedule',
          expected:
            'a schedule: { kind: closed, lanes, durationMs } or { kind: open, arrivals, durationMs, maxInFlight }',
          got: x,
        });
      poolProblems({ connections: s.connections, pipelining: s.pipelining }, p);
      break;
    }
    default:
      p.push({
        field: 'model',
        expected: 'a load model: constant-sessions, constant-arrival-rate, ramping-arrival-rate or schedule',
        got: (s as { model?: unknown }).model,
      });
  }
  if (p.length > 0) throw HttpClientError.badSpec(what, p);
};
