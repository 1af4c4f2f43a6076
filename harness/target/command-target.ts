// Any program as the target (`target.command`): started with a free port when `port: auto`, its output
// kept in the history, its process tree read from /proc. A fault may restart it (stop, wait, start the
// same command on the same port); the target then follows the new process, and only an exit that no
// restart asked for counts as the target exiting.

import { execa } from 'execa';
import type { TargetRestart } from '../../faults/types.ts';
import { descendants, readAllStats } from '../observe/proc.ts';
import type { TargetSpec } from '../suite/schema.ts';
import { freePort } from './free-port.ts';
import { type ExitInfo, type Spawned, spawnGuarded } from './spawned.ts';
import type { LocalTarget } from './types.ts';
import type { Watchdog } from './watchdog.ts';
import { TargetRestartError } from '../errors.ts';
export { TargetRestartError } from '../errors.ts';

// {port} and {httpPort} in an argument or env value.
const expand = (s: string, port: number, httpPort: number | undefined): string =>
  s.replaceAll('{port}', String(port)).replaceAll('{httpPort}', String(httpPort ?? ''));

export const startCommandTarget = async (
  spec: TargetSpec,
  o: { watchdog: Watchdog; onLine: (line: string, stream: 'stdout' | 'stderr') => void },
): Promise<LocalTarget> => {
  const host = '127.0.0.1';
  const port = spec.port === 'auto' || spec.port === undefined ? await freePort(host) : spec.port;
  let httpPort = spec.httpPort === 'auto' ? await freePort(host) : spec.httpPort;
  // A port just freed can come back at once: the two must differ (a few tries at most).
  for (let i = 0; i < 5 && spec.httpPort === 'auto' && httpPort === port; i++)
    httpPort = await freePort(host);
  const argv = spec.command!.map((a) => expand(a, port, httpPort));
  const env = Object.fromEntries(
    Object.entries(spec.env ?? {}).map(([k, v]) => [k, expand(v, port, httpPort)]),
  );
  const stopSpec = spec.stop ?? { signal: 'SIGTERM' as const, grace: 5000 };
  const launch = () => spawnGuarded(argv, { env, cwd: spec.cwd, watchdog: o.watchdog, onLine: o.onLine });

  let current: Spawned = launch();
  // Set while a restart is under way (between stopping the old process and starting the new one).
  let restarting: { cancel: () => void } | undefined;
  let stopping = false;
  let resolveExited!: (x: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((r) => (resolveExited = r));
  // An exit counts for the target only when it is the current process's and no restart caused it.
  const follow = (p: Spawned) =>
    void p.exited.then((x) => {
      if (p === current && restarting === undefined) resolveExited(x);
    });
  follow(current);

  const restart = async (r: { delayMs: number; signal?: NodeJS.Signals }): Promise<TargetRestart> => {
    if (stopping) throw new TargetRestartError('the target is stopping; it cannot be restarted');
    if (restarting !== undefined) throw new TargetRestartError('the target is already being restarted');
    const old = current;
    let cancelled = false;
    let wake: (() => void) | undefined;
    restarting = {
      cancel: () => {
        cancelled = true;
        wake?.();
      },
    };
    try {
      const exit = await old.stop(r.signal ?? stopSpec.signal, r.signal === 'SIGKILL' ? 0 : stopSpec.grace);
      const stoppedAt = Date.now();
      if (r.delayMs > 0 && !cancelled) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, r.delayMs);
          wake = () => (clearTimeout(t), resolve());
        });
      }
      if (cancelled) throw new TargetRestartError('the target was stopped during its restart');
      current = launch();
      follow(current);
      return { oldPid: old.pid, pid: current.pid, exit, stoppedAt, startedAt: Date.now() };
    } finally {
      restarting = undefined;
    }
  };

  return {
    kind: 'command',
    get pid() {
      return current.pid;
    },
    host,
    port,
    httpPort,
    pids: async () => descendants(current.pid, await readAllStats()).map((s) => s.pid),
    role: (_pid, isRoot) => (isRoot ? 'process' : 'child'),
    runCommand: async (command) => {
      const r = await execa(
        command[0]!,
        command.slice(1).map((a) => expand(a, port, httpPort)),
        {
          reject: false,
          stdin: 'ignore',
          timeout: 60_000,
          env: { ...env, NETTCP_CHAOS_TARGET_PID: String(current.pid) },
        },
      );
      return r.exitCode ?? -1;
    },
    restart,
    exited,
    // A target between the two halves of a restart is still part of the run.
    running: () => current.running() || restarting !== undefined,
    lastLines: () => current.lastLines(),
    stop: async () => {
      stopping = true;
      restarting?.cancel();
      resolveExited(await current.stop(stopSpec.signal, stopSpec.grace));
    },
  };
};
