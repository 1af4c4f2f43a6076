// The watchdog process: outlives the harness to undo what the harness would have undone. It reads
// guards as JSON lines on stdin; when stdin ends (the harness exited, or was killed, even by SIGKILL)
// it carries out every guard still held: kill a process group (TERM, then KILL after a grace), or
// send a signal (SIGCONT to a paused process; with a start time, only if the pid still names that very
// process). It runs in its own process group, so a Ctrl-C aimed at the harness does not reach it.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Safeguard } from '../../faults/types.ts';
import { parseStat } from '../observe/proc.ts';

type Message = { op: 'guard'; id: string; guard: Safeguard } | { op: 'release'; id: string };

const guards = new Map<string, Safeguard>();
const GRACE_MS = Number(process.env['NETTCP_CHAOS_WATCHDOG_GRACE_MS'] ?? 2000);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const send = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};

// The process's start time (/proc/PID/stat), or undefined when gone.
const starttimeOf = (pid: number): number | undefined => {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.starttime;
  } catch {
    return undefined;
  }
};

const carryOut = async (): Promise<void> => {
  const groups: number[] = [];
  for (const g of guards.values()) {
    if (g.action === 'signal') {
      if (g.starttime === undefined || starttimeOf(g.pid) === g.starttime) send(g.pid, g.signal);
    } else {
      // A stopped group cannot act on TERM until it is continued.
      send(-g.pgid, 'SIGCONT');
      send(-g.pgid, 'SIGTERM');
      groups.push(g.pgid);
    }
  }
  const deadline = Date.now() + GRACE_MS;
  while (groups.some((g) => alive(-g)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const g of groups) send(-g, 'SIGKILL');
};

process.on('SIGINT', () => {}); // the terminal's Ctrl-C is for the harness, which then releases us
process.on('SIGHUP', () => {});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let m: Message;
  try {
    m = JSON.parse(line) as Message;
  } catch {
    return;
  }
  if (m.op === 'guard') guards.set(m.id, m.guard);
  else guards.delete(m.id);
});
lines.on('close', () => {
  void carryOut().finally(() => process.exit(0));
});
// Ready: the harness waits for this byte before it starts anything it wants guarded.
process.stdout.write('ready\n');
