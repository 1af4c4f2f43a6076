// The HTTP listener probe: one request on a fresh connection within a deadline, its outcome and ms; the
// HTTP twin of the net.tcp probe (harness/observe/probe.ts), for the run's probe and `probe http://...`.
// It uses node:http, not autocannon: autocannon reconnects at once after a refusal and has no one-request
// mode with a deadline, and a probe wants exactly one attempt and its exact outcome.

import { request } from 'node:http';
import { RemoteTargetError, resolveHost } from '../loopback.ts';
import { failureFromError, type HttpFailure, type HttpStage } from './failure.ts';
import { prepareRequest } from './request.ts';
import { checkRequestSpec, type HttpRequestSpec } from './spec.ts';

// What one probe saw: ms from the start to the reply (or the failure), the status when one came.
export type HttpProbeResult = { ok: boolean; ms: number; status?: number; failure?: HttpFailure };

// The probe's deadline when the spec has no timeoutMs.
export const PROBE_TIMEOUT_MS = 1000;

// One probe request (the spec is checked first: HTTP_BAD_SPEC; a host off loopback without allowRemote
// throws CLIENT_REMOTE_TARGET). Never rejects for what the server does.
export const probeHttp = async (spec: HttpRequestSpec): Promise<HttpProbeResult> => {
  checkRequestSpec(spec);
  const req = prepareRequest(spec);
  const url = new URL(spec.url);
  const timeoutMs = spec.timeoutMs ?? PROBE_TIMEOUT_MS;
  const start = performance.now();
  let ip: string;
  try {
    ip = await resolveHost(url.hostname, spec.allowRemote ?? false);
  } catch (e) {
    if (e instanceof RemoteTargetError) throw e;
    return {
      ok: false,
      ms: performance.now() - start,
      failure: failureFromError(e as NodeJS.ErrnoException, 'connect'),
    };
  }
  return new Promise((resolve) => {
    let stage: HttpStage = 'connect';
    let settled = false;
    const done = (failure: HttpFailure | undefined, status?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.destroy();
      resolve({
        ok: failure === undefined,
        ms: performance.now() - start,
        ...(status === undefined ? {} : { status }),
        ...(failure === undefined ? {} : { failure }),
      });
    };
    const r = request(
      {
        host: ip,
        port: Number(url.port || 80),
        method: req.method,
        path: req.path,
        headers: { ...req.headers, Host: url.host, 'Content-Length': String(req.body.length) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(req.check(status, Buffer.concat(chunks).toString('latin1')), status);
        });
        res.on('error', (e: NodeJS.ErrnoException) => done(failureFromError(e, 'call'), res.statusCode));
      },
    );
    const timer = setTimeout(() => done({ kind: 'timeout', stage }), timeoutMs);
    r.on('socket', (s) => s.once('connect', () => (stage = 'call')));
    // node calls a connection the server ended before any response a hang-up (ECONNRESET); the engine,
    // which sees the end itself, calls it closed, and so does the probe.
    r.on('error', (e: NodeJS.ErrnoException) =>
      done(e.message === 'socket hang up' ? { kind: 'closed', stage } : failureFromError(e, stage)),
    );
    r.end(req.body);
  });
};
