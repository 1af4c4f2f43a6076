// Starting the host out of process for a test, and the checks tests make on it.

import type { Test } from 'tap';
import {
  type NetTcpSession,
  openSession,
  resolveNetTcpUrl,
  type SessionOptions,
} from '../../../clients/nettcp/index.ts';
import type { HostConfigInput } from '../../../host/config-input.ts';
import {
  createSoapCodec,
  OPS_CONTENT_TYPE,
  type SoapCodec,
  type SoapEncodingName,
  type SoapReply,
} from '../../../protocol/index.ts';
import { type HostLine, type SpawnedHost, spawnHost } from '../../../host/spawn.ts';
import type { HostStatus } from '../../../host/status.ts';
import type { Failure } from '../../../clients/nettcp/index.ts';
import { readFds, readStat } from '../../../harness/observe/proc.ts';

// Spawns a host for the length of a test; its teardown stops it and checks nothing outlived it.
export const withHost = async (t: Test, config: HostConfigInput): Promise<SpawnedHost> => {
  const h = await spawnHost(config);
  t.teardown(async () => {
    const pids = workerPids(h.lines);
    await h.stop('SIGTERM');
    await waitUntil(async () => (await Promise.all(pids.map(isAlive))).every((a) => !a), 5000);
  });
  return h;
};

// Every worker pid the host ever started.
export const workerPids = (lines: readonly HostLine[]): number[] =>
  lines.filter((l) => l.event === 'worker-start').map((l) => l.pid as number);

export const status = (h: SpawnedHost): Promise<HostStatus> => h.request<HostStatus>({ command: 'status' });

// Opens a session on a path of the host.
export const open = async (
  h: SpawnedHost,
  path: string,
  options: SessionOptions = {},
): Promise<{ ok: true; session: NetTcpSession } | { ok: false; failure: Failure }> => {
  const r = await openSession(await resolveNetTcpUrl(h.url(path)), options);
  return r.ok ? { ok: true, session: r.session } : { ok: false, failure: r.failure };
};

// Opens a session that speaks the compact op framing (its own content type).
export const openOps = (h: SpawnedHost, path: string, options: SessionOptions = {}) =>
  open(h, path, { encoding: OPS_CONTENT_TYPE, ...options });

// A SOAP session on a host worker: the project's client with its SOAP codec, as a WCF client calls
// IInteropService (To = the URL it dials).
export type SoapSession = {
  session: NetTcpSession;
  codec: SoapCodec;
  // One call; resolves with the decoded reply (or fault), or the call's failure.
  call(
    operation: string,
    params?: Record<string, string | number>,
    timeoutMs?: number,
  ): Promise<SoapReply | Failure>;
};

// Opens a SOAP session on a path of the host.
export const openSoap = async (
  h: SpawnedHost,
  path: string,
  options: SessionOptions & { soapEncoding?: SoapEncodingName; to?: string } = {},
): Promise<({ ok: true } & SoapSession) | { ok: false; failure: Failure }> => {
  const url = h.url(path);
  const codec = createSoapCodec({
    encoding: options.soapEncoding ?? 'binary-session',
    to: options.to ?? url,
    contract: 'IInteropService',
  });
  const r = await openSession(await resolveNetTcpUrl(url), {
    ...options,
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
  });
  if (!r.ok) return { ok: false, failure: r.failure };
  const session = r.session;
  return {
    ok: true,
    session,
    codec,
    call: async (operation, params = {}, timeoutMs) => {
      const c = await session.call(
        codec.encodeRequest({ operation, params }),
        timeoutMs === undefined ? {} : { timeoutMs },
      );
      return c.ok ? codec.decodeReply(c.reply) : c.failure;
    },
  };
};

// Whether a process exists and is not a zombie.
export const isAlive = async (pid: number): Promise<boolean> => {
  const s = await readStat(pid);
  return s !== undefined && s.state !== 'Z';
};

export const fdCount = async (pid: number): Promise<number> => (await readFds(pid))?.total ?? -1;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Polls until `check` holds; resolves with whether it did within the time.
export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 25,
): Promise<boolean> => {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > until) return false;
    await sleep(everyMs);
  }
};
