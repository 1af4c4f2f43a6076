// Starts the command line in a process group of its own, as a shell starts a job, so a test can
// signal the whole group the way a terminal does (Ctrl-C, hang-up) or the first process alone.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, readAllStats } from '../../harness/observe/proc.ts';
import { CLI } from './cli.ts';

// The machine's own Node (older than the pinned one: the launcher hands over), if it has one.
export const SYSTEM_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));

// The Node 24 the project pins (the `node` devDependency).
export const PINNED_NODE = createRequire(import.meta.url).resolve('node/bin/node');

// A started job: its first process (the group's leader), what it printed, and how it ended.
export type Job = {
  child: ChildProcess;
  pgid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

// Runs `node bin/nettcp-chaos.js ARGS` with `node` as the job's leader.
export const startJob = (node: string, args: string[], env: NodeJS.ProcessEnv = {}): Job => {
  const child = spawn(node, [CLI, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, pgid: child.pid!, stdout: () => out, stderr: () => err, exited };
};

// Waits until `read()` matches, at most `ms`; throws with what it read otherwise.
export const waitFor = async (read: () => string, re: RegExp, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!re.test(read())) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${String(re)}; got:\n${read().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

// A process told apart from a later one with the same pid by its start time.
export type Known = { pid: number; starttime: number };

// The job's processes now: its leader's descendants (the target and the watchdog run in groups of
// their own) and every member of its group.
export const jobProcesses = async (job: Job): Promise<Known[]> => {
  const stats = (await readAllStats()).filter((s) => s.state !== 'Z');
  const seen = new Map<number, Known>();
  for (const s of [...descendants(job.child.pid!, stats), ...stats.filter((s) => s.pgrp === job.pgid)])
    seen.set(s.pid, { pid: s.pid, starttime: s.starttime });
  return [...seen.values()];
};

// Which of `known` are still alive after waiting up to `ms` for them to go.
export const stillAliveAfter = async (known: readonly Known[], ms: number): Promise<number[]> => {
  const end = Date.now() + ms;
  for (;;) {
    const now = await readAllStats();
    const left = known
      .filter((k) => now.some((s) => s.pid === k.pid && s.starttime === k.starttime && s.state !== 'Z'))
      .map((k) => k.pid);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
};

// Members of the group left alive (not zombies).
export const groupMembers = async (pgid: number): Promise<number[]> =>
  (await readAllStats()).filter((s) => s.pgrp === pgid && s.state !== 'Z').map((s) => s.pid);

// Starts a run of `suite` in a job of its own, with journals in a fresh state folder; resolves once
// its load has run for `afterLoadMs`.
export const runUnderWay = async (
  node: string,
  suite: string,
  afterLoadMs: number,
): Promise<{ job: Job; out: string; state: string }> => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const state = await mkdtemp(join(tmpdir(), 'nettcp-chaos-state-'));
  const job = startJob(node, ['run', suite, '--out', out], { NETTCP_CHAOS_STATE_DIR: state });
  await waitFor(job.stderr, /\] load /, 30_000);
  await new Promise((r) => setTimeout(r, afterLoadMs));
  return { job, out, state };
};

// Live processes of a session (a terminal's: everything started from it), pid and start time.
export const sessionMembers = async (sid: number): Promise<Known[]> => {
  const found: Known[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): state is field 3, session 6, start 22.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (rest[0] !== 'Z' && Number(rest[3]) === sid)
      found.push({ pid: Number(name), starttime: Number(rest[19]) });
  }
  return found;
};
