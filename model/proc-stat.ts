// /proc/PID/stat as the harness and faults read it: the fields that name a process (pid and start
// time, so a reused pid is told apart), its state, parent, group and CPU ticks.

export type ProcStat = {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  // CPU time in clock ticks (USER_HZ, 100 on Linux).
  utime: number;
  stime: number;
  // Start time in clock ticks since boot (tells a reused pid apart).
  starttime: number;
  // Threads in the process (field 20).
  threads: number;
};

export const CLOCK_TICKS_PER_SECOND = 100;

// Parses /proc/PID/stat. comm may hold spaces and parentheses, so it is cut at the last ')'.
export const parseStat = (text: string): ProcStat | undefined => {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  const stat: ProcStat = {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    utime: field(14),
    stime: field(15),
    starttime: field(22),
    threads: field(20),
  };
  const numbers = [stat.pid, stat.ppid, stat.pgrp, stat.utime, stat.stime, stat.starttime];
  return numbers.every((n) => Number.isInteger(n) && n >= 0) ? stat : undefined;
};
