// Starting the host out of process for a test, and the checks tests make on it.

import type { Test } from 'tap';
import {
  type NetTcpSession,
  openSession,
  resolveNetTcpUrl,
  type SessionOptions,
} from '../../../clients/nettcp/index.ts';
import type { HostConfigInput } from '../../../host/config-input.ts';
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
