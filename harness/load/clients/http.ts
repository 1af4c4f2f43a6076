// client: http: each start of the load's model is one HTTP request (a SOAP call as BasicHttpBinding or
// WSHttpBinding sends it, or a plain request), sent by the HTTP engine (clients/http, autocannon) on
// keep-alive connections; a closed model's sessions are its connections, each with `pipelining` requests
// in flight.

import { prepareRequest, probeHttp } from '../../../clients/http/index.ts';
import { formatDuration } from '../../../model/duration.ts';
import { record } from '../../../model/fields.ts';
import type { LoadSpec } from '../../suite/schema.ts';
import { httpRequestOf, httpUrlOf } from './http-address.ts';
import { httpFields } from './http-fields.ts';
import { startRequests } from './http-requests.ts';
import { httpRules } from './http-rules.ts';
import type { LoadClient } from './types.ts';

const schema = record(
  httpFields,
  'an HTTP load: { name, client: http, url, soap or request, model, ..., connections, pipelining, timeout }',
);

type HttpLoadSpec = Extract<LoadSpec, { client: 'http' }>;
const ownLoads = (loads: readonly LoadSpec[]): HttpLoadSpec[] =>
  loads.filter((l): l is HttpLoadSpec => l.client === 'http');

export const httpClient = {
  name: 'http',
  schema,
  addressField: 'url',
  describe: (spec) => {
    const what =
      spec.soap !== undefined
        ? `SOAP ${spec.soap.version} ${spec.soap.operation}`
        : `${spec.request?.method ?? (spec.request?.body === undefined ? 'GET' : 'POST')} ${spec.request?.path ?? '(the url)'}`;
    const pool = `${spec.connections === undefined ? '' : `${spec.connections} connections, `}pipelining ${spec.pipelining}`;
    return `url ${spec.url ?? '/'}; each session one ${what} request (${pool}, timeout ${formatDuration(spec.timeout)})`;
  },
  start: startRequests,
  // The probe's url, else the first HTTP load's.
  probeAddress: (suite) => {
    const first = ownLoads(suite.load)[0];
    return suite.probe.url ?? (first === undefined ? undefined : (first.url ?? '/'));
  },
  // One request on a fresh connection, as the HTTP load on that url sends it (or the first one, its
  // plain request at the probe's path); without HTTP loads, a GET answered with any 2xx.
  prober: (address, env) => {
    const url = httpUrlOf(address, env.target);
    const loads = ownLoads(env.loads);
    const same = loads.find((l) => (l.url ?? '/') === address);
    const like = same ?? loads[0];
    const fields =
      like === undefined
        ? { request: { headers: {} }, payload: 0 }
        : same !== undefined || like.request === undefined
          ? like
          : { ...like, request: { ...like.request, path: undefined } };
    const spec = (timeoutMs: number) =>
      httpRequestOf(fields, { url, name: 'probe', seed: 0, timeoutMs, allowRemote: env.allowRemote });
    // Checked once here (a bad spec throws at once, not at every probe).
    prepareRequest(spec(1000));
    return {
      listener: url,
      once: async (timeoutMs) => {
        const r = await probeHttp(spec(timeoutMs));
        return { ok: r.ok, ms: r.ms, ...(r.failure === undefined ? {} : { failure: r.failure }) };
      },
    };
  },
  rules: httpRules,
} satisfies LoadClient<typeof schema>;
