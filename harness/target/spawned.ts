// A process the harness starts: in its own process group (so signals and the final sweep reach its
// workers), guarded by the watchdog, its output read line by line, stopped with a grace period.

import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import type { ExitInfo, Spawned } from '../../model/process.ts';
import type { Watchdog } from './watchdog.ts';
import { HarnessError, HarnessErrorCode } from '../errors.ts';

export type { ExitInfo, Spawned } from '../../model/process.ts';

const KEEP_LINES = 40;

export const spawnGuarded = (
  argv: readonly string[],
  o: {
    env?: Record<string, string>;
    cwd?: string;
    watchdog: Watchdog;
    onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  },
): Spawned => {
  const [file, ...args] = argv;
  const child: ResultPromise = execa(file!, args, {
    env: o.env,
    extendEnv: true,
    cwd: o.cwd,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // Its own process group: a stop reaches its workers, and Ctrl-C in the terminal reaches only us.
    detached: true,
    killDescendants: true,
    forceKillAfterDelay: false,
    cleanup: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new HarnessError(HarnessErrorCode.Spawn, `could not start ${argv.join(' ')}`);
  const release = o.watchdog.guard({ action: 'kill-group', pgid: pid });
  const lines: string[] = [];
  for (const [stream, name] of [
    [child.stdout, 'stdout'],
    [child.stderr, 'stderr'],
  ] as const) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
      o.onLine?.(line, name);
    });
  }
  let done = false;
  const exited: Promise<ExitInfo> = child.then(
    (r) => {
      done = true;
      return { code: r.exitCode ?? null, signal: r.signal ?? null };
    },
    (e: unknown) => {
      done = true;
      return { code: null, signal: String((e as { signal?: string }).signal ?? 'error') };
    },
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  };
  return {
    pid,
    exited,
    running: () => !done,
    lastLines: () => [...lines],
    stop: async (signal, graceMs) => {
      if (!done) {
        // A stopped (paused) process acts on nothing until continued.
        killGroup('SIGCONT');
        try {
          process.kill(pid, signal);
        } catch {
          // already gone
        }
        const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Workers that outlived their parent are swept with it.
      killGroup('SIGKILL');
      release();
      return exited;
    },
  };
};
