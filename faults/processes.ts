// A process as faults name it: pid and start time, so a signal never reaches another process that
// reused the pid (after a recycle, or in the next run's sweep).

import { readFile } from 'node:fs/promises';
import { parseStat, type ProcStat } from '../model/proc-stat.ts';
import { sleep } from './common.ts';

// /proc/PID/stat, or undefined when the process is gone (or cannot be read).
export const readStat = (pid: number): Promise<ProcStat | undefined> =>
  readFile(`/proc/${pid}/stat`, 'utf8').then(parseStat, () => undefined);

// A process, safe to signal later: its pid and /proc start time (clock ticks since boot).
export type ProcessId = { pid: number; starttime: number };

// The identity of a live process, or undefined when it is gone (or a zombie).
export const identify = async (pid: number): Promise<ProcessId | undefined> => {
  const s = await readStat(pid);
  return s === undefined || s.state === 'Z' ? undefined : { pid, starttime: s.starttime };
};

// The state letter of that very process (R, S, T, ...), or undefined when it is gone or the pid now
// names another process.
export const stateOf = async (id: ProcessId): Promise<string | undefined> => {
  const s = await readStat(id.pid);
  return s === undefined || s.starttime !== id.starttime || s.state === 'Z' ? undefined : s.state;
};

// CPU time that very process has used (user + system, clock ticks), or undefined when it is gone.
export const cpuTicksOf = async (id: ProcessId): Promise<number | undefined> => {
  const s = await readStat(id.pid);
  return s === undefined || s.starttime !== id.starttime ? undefined : s.utime + s.stime;
};

// Sends a signal to that very process; false when it is gone or the pid names another one now.
export const signalIfSame = async (id: ProcessId, signal: NodeJS.Signals): Promise<boolean> => {
  if ((await stateOf(id)) === undefined) return false;
  try {
    process.kill(id.pid, signal);
    return true;
  } catch {
    return false;
  }
};

// Polls until `check` holds or `ms` pass; resolves with whether it held.
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  ms: number,
  everyMs = 20,
): Promise<boolean> => {
  const until = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= until) return false;
    await sleep(everyMs);
  }
};

// Waits until that process is in `state` (T: stopped), or has left it (`not`); resolves with its last state.
export const waitState = async (
  id: ProcessId,
  want: { is: string } | { not: string },
  ms: number,
): Promise<string | undefined> => {
  let last: string | undefined;
  await waitFor(async () => {
    last = await stateOf(id);
    if ('is' in want) return last === want.is || last === undefined;
    return last !== want.not;
  }, ms);
  return last;
};
