// Any program as the target (`target.command`): started with a free port when `port: auto`, its output
// kept in the history, its process tree read from /proc.

import { execa } from 'execa';
import { descendants, readAllStats } from '../observe/proc.ts';
import type { TargetSpec } from '../suite/schema.ts';
import { freePort } from './free-port.ts';
import { spawnGuarded } from './spawned.ts';
import type { RunningTarget } from './types.ts';
import type { Watchdog } from './watchdog.ts';

const expand = (s: string, port: number): string => s.replaceAll('{port}', String(port));

export const startCommandTarget = async (
  spec: TargetSpec,
  o: { watchdog: Watchdog; onLine: (line: string, stream: 'stdout' | 'stderr') => void },
): Promise<RunningTarget> => {
  const host = '127.0.0.1';
  const port = spec.port === 'auto' || spec.port === undefined ? await freePort(host) : spec.port;
  const argv = spec.command!.map((a) => expand(a, port));
  const env = Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, expand(v, port)]));
  const p = spawnGuarded(argv, { env, cwd: spec.cwd, watchdog: o.watchdog, onLine: o.onLine });
  const stop = spec.stop ?? { signal: 'SIGTERM' as const, grace: 5000 };
  return {
    kind: 'command',
    pid: p.pid,
    host,
    port,
    pids: async () => descendants(p.pid, await readAllStats()).map((s) => s.pid),
    role: (_pid, isRoot) => (isRoot ? 'process' : 'child'),
    runCommand: async (command) => {
      const r = await execa(
        command[0]!,
        command.slice(1).map((a) => expand(a, port)),
        {
          reject: false,
          stdin: 'ignore',
          timeout: 60_000,
          env: { ...env, NETTCP_CHAOS_TARGET_PID: String(p.pid) },
        },
      );
      return r.exitCode ?? -1;
    },
    exited: p.exited,
    running: p.running,
    lastLines: p.lastLines,
    stop: async () => {
      await p.stop(stop.signal, stop.grace);
    },
  };
};
