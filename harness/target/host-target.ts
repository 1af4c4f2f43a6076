// The built-in reference host as the target: host/main.ts in its own process group, its JSON-line
// events turned into history log events, its control channel for faults, its workers named by path.

import { fileURLToPath } from 'node:url';
import { connectControl, type ControlClient } from '../../host/control/client.ts';
import type { HostConfig } from '../../host/config.ts';
import { descendants, readAllStats } from '../observe/proc.ts';
import { spawnGuarded } from './spawned.ts';
import { type LocalTarget, TargetStartError } from './types.ts';
import type { Watchdog } from './watchdog.ts';
import { HarnessError, HarnessErrorCode } from '../errors.ts';

const HOST_MAIN = fileURLToPath(new URL('../../host/main.ts', import.meta.url));

// How long a control request may wait for the host's answer (a recycle waits for a new worker).
const CONTROL_ANSWER_MS = 60_000;

export type HostLog = { level: 'info' | 'warn' | 'error'; message: string; data: Record<string, unknown> };

// How a host event reads in the history.
const toLog = (e: Record<string, unknown>): HostLog => {
  const event = String(e['event']);
  const warn = event === 'refused' || event === 'forward-failed';
  const level = e['level'] === 'error' || event === 'dispatch-failed' ? 'error' : warn ? 'warn' : 'info';
  const message = typeof e['message'] === 'string' ? e['message'] : `host ${event}`;
  return { level, message, data: e };
};

export const startHostTarget = async (
  config: HostConfig,
  o: {
    watchdog: Watchdog;
    port?: number;
    startTimeoutMs: number;
    onLog: (log: HostLog) => void;
    onOutput: (line: string, stream: 'stdout' | 'stderr') => void;
  },
): Promise<LocalTarget> => {
  const roles = new Map<number, string>();
  // Faults that follow the host's events (slow-activation reads worker-activated).
  const listeners = new Set<(e: Record<string, unknown>) => void>();
  let ready: ((e: { port: number; control: string; pid: number }) => void) | undefined;
  const readyEvent = new Promise<{ port: number; control: string; pid: number }>(
    (resolve) => (ready = resolve),
  );
  const argv = [process.execPath, HOST_MAIN, ...(o.port === undefined ? [] : ['--port', String(o.port)])];
  const p = spawnGuarded(argv, {
    env: { NETTCP_CHAOS_HOST_CONFIG: JSON.stringify(config) },
    watchdog: o.watchdog,
    onLine: (line, stream) => {
      let e: Record<string, unknown> | undefined;
      if (stream === 'stdout') {
        try {
          e = JSON.parse(line) as Record<string, unknown>;
        } catch {
          e = undefined;
        }
      }
      if (e === undefined || typeof e['event'] !== 'string') {
        o.onOutput(line, stream);
        return;
      }
      if (e['event'] === 'ready') ready?.(e as { port: number; control: string; pid: number });
      if (e['event'] === 'worker-start' && typeof e['pid'] === 'number')
        roles.set(e['pid'], `worker ${String(e['path'])}`);
      // One dispatch a session: in a soak that was most of the history (1.2 MB in 2 minutes); the load's
      // windows count the sessions, so the hand-offs reach the faults that follow events, not the record.
      if (e['event'] !== 'dispatch') o.onLog(toLog(e));
      for (const l of listeners) l(e);
    },
  });
  const started = await Promise.race([
    readyEvent,
    p.exited.then((x) => ({ exited: x })),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), o.startTimeoutMs).unref()),
  ]);
  if (started === 'timeout' || 'exited' in started) {
    await p.stop('SIGKILL', 0);
    const why =
      started === 'timeout'
        ? `did not report ready within ${o.startTimeoutMs}ms`
        : `exited (${JSON.stringify(started.exited)})`;
    throw new TargetStartError(
      `the reference host ${why}; its last output:\n${p.lastLines().slice(-10).join('\n')}`,
    );
  }
  // Connected now, before any baseline reading: the connection is a socket in the listener too, and
  // opened later it would read as growth in its fd count.
  let control: ControlClient | undefined;
  try {
    control = await connectControl(started.control);
  } catch {
    control = undefined; // a fault's first request tries again and says why if it cannot
  }
  const request = async (req: Record<string, unknown>): Promise<Record<string, unknown>> => {
    control ??= await connectControl(started.control);
    const { command, ...rest } = req;
    const answer = control.request<Record<string, unknown>>({ command: String(command), ...rest });
    // A host that stopped answering must not hold up a fault for good.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HarnessError(
              HarnessErrorCode.TargetControl,
              `the host did not answer ${String(command)} within ${CONTROL_ANSWER_MS / 1000}s`,
            ),
          ),
        CONTROL_ANSWER_MS,
      );
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    kind: 'host',
    pid: p.pid,
    host: config.listen.host,
    port: started.port,
    pids: async () => descendants(p.pid, await readAllStats()).map((s) => s.pid),
    role: (pid, isRoot) => (isRoot ? 'listener' : (roles.get(pid) ?? 'child')),
    control: request,
    services: config.services.map((s) => ({ path: s.path, activationDelayMs: s.activation.delayMs })),
    events: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    exited: p.exited,
    running: p.running,
    lastLines: p.lastLines,
    stop: async () => {
      control?.close();
      await p.stop('SIGTERM', 5000);
    },
  };
};
