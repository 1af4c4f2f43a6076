// Choosing the processes a pause or kill acts on, as Chaos Mesh chooses pods: among the target's root,
// its workers (on the reference host, one path's worker), or any of them; then one, all, a fixed
// number, a fixed percentage, or a random number up to a percentage, drawn with the suite's seed.

import type * as z from 'zod';
import type { TargetKind } from '../model/history.ts';
import { oneOf, positiveInt, urlPath } from '../model/fields.ts';
import { FaultError } from './common.ts';
import { identify, type ProcessId } from './processes.ts';
import { FaultErrorCode } from './errors.ts';
import type { FaultContext } from './types.ts';

export const MODES = ['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent'] as const;
export const SELECTS = ['root', 'workers', 'any'] as const;

// The selection fields pause and kill share.
export const selectionFields = () => ({
  select: oneOf(
    SELECTS,
    'root (the target process), workers (its children; the host: its workers) or any',
  ).optional(),
  path: urlPath('the service whose worker is chosen (reference host), for example /orders').optional(),
  mode: oneOf(MODES).default('one'),
  value: positiveInt('a number of processes (mode fixed) or a percentage from 1 to 100').optional(),
});

export type Selection = {
  select?: (typeof SELECTS)[number] | undefined;
  path?: string | undefined;
  mode: (typeof MODES)[number];
  value?: number | undefined;
};

// Rules between the selection fields, checked with the schema (value with the modes that need it).
export const checkSelection = (s: Selection, ctx: z.RefinementCtx): void => {
  const needsValue = s.mode === 'fixed' || s.mode === 'fixed-percent' || s.mode === 'random-max-percent';
  if (needsValue && s.value === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: `a value with mode ${s.mode} (${s.mode === 'fixed' ? 'how many processes' : 'a percentage from 1 to 100'})`,
    });
  }
  if (!needsValue && s.value !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: `no value with mode ${s.mode}` });
  }
  if (s.mode !== 'fixed' && s.value !== undefined && s.value > 100) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage from 1 to 100' });
  }
};

// What the selection fields mean for a target kind, in the suite's words; empty when they fit.
export const selectionTargetProblems = (s: Selection, target: TargetKind): string[] => {
  if (target !== 'host' && s.path !== undefined)
    return ['path chooses a worker of the reference host; a program target selects root, workers or any'];
  if (s.path !== undefined && s.select === 'root')
    return ['path chooses a worker; with select: root there is no worker to choose'];
  return [];
};

// The select a spec means on a target kind: the host's workers, a program's root process.
export const selectOf = (s: Selection, target: TargetKind) =>
  s.select ?? (target === 'host' || s.path !== undefined ? 'workers' : 'root');

// How the selection reads (for describe and --dry-run).
export const describeSelection = (s: Selection): string => {
  const who =
    s.path !== undefined
      ? `the worker of ${s.path}`
      : s.select === undefined
        ? 'the target (host: a worker; program: its process)'
        : s.select === 'root'
          ? 'the target process'
          : s.select === 'workers'
            ? 'a worker'
            : 'any target process';
  switch (s.mode) {
    case 'one':
      return who;
    case 'all':
      return `all of: ${who}`;
    case 'fixed':
      return `${s.value} of: ${who}`;
    case 'fixed-percent':
      return `${s.value}% of: ${who}`;
    case 'random-max-percent':
      return `up to ${s.value}% (random) of: ${who}`;
  }
};

// A chosen process: its identity and what it is to the target.
export type Chosen = ProcessId & { role: string; path?: string };

type HostStatusWorkers = { workers?: { pid: number; path: string; state: string }[] };

// How many of `n` candidates a mode takes; random-max-percent may take none.
export const countFor = (s: Selection, n: number, random: () => number): number => {
  switch (s.mode) {
    case 'one':
      return Math.min(1, n);
    case 'all':
      return n;
    case 'fixed':
      return Math.min(s.value!, n);
    case 'fixed-percent':
      return n === 0 ? 0 : Math.max(1, Math.floor((n * s.value!) / 100));
    case 'random-max-percent':
      return Math.floor(random() * (Math.floor((n * s.value!) / 100) + 1));
  }
};

// The candidates of a selection now, ordered so a seed makes the same choice on the same tree.
const candidates = async (
  s: Selection,
  ctx: FaultContext,
): Promise<{ pid: number; role: string; path?: string }[]> => {
  const t = ctx.target;
  if (t.pid === undefined)
    throw new FaultError(FaultErrorCode.NoProcess, 'a remote target has no local process to choose');
  const select = selectOf(s, t.kind);
  const root = { pid: t.pid, role: t.kind === 'host' ? 'listener' : 'process' };
  let workers: { pid: number; role: string; path?: string }[];
  if (t.kind === 'host') {
    const status = (await t.control!({ command: 'status' })) as HostStatusWorkers;
    workers = (status.workers ?? [])
      // A worker draining after a recycle is on its way out; the path's worker is the one serving it.
      .filter(
        (w) => w.state !== 'draining' && w.state !== 'exited' && (s.path === undefined || w.path === s.path),
      )
      .map((w) => ({ pid: w.pid, role: `worker ${w.path}`, path: w.path }))
      .sort((a, b) => a.path.localeCompare(b.path) || a.pid - b.pid);
  } else {
    workers = (await t.pids())
      .filter((p) => p !== t.pid)
      .sort((a, b) => a - b)
      .map((pid) => ({ pid, role: 'child' }));
  }
  return select === 'root' ? [root] : select === 'workers' ? workers : [root, ...workers];
};

// Chooses the processes a selection names now, with the fault's seeded random numbers.
export const chooseProcesses = async (s: Selection, ctx: FaultContext): Promise<Chosen[]> => {
  const pool = await candidates(s, ctx);
  if (pool.length === 0) {
    throw new FaultError(
      FaultErrorCode.NoProcess,
      `no process to choose: the target has no ${s.path === undefined ? 'worker' : `worker for ${s.path}`} right now`,
    );
  }
  const n = countFor(s, pool.length, ctx.random);
  // A partial Fisher-Yates shuffle: the first n are the choice.
  const order = [...pool];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(ctx.random() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen: Chosen[] = [];
  for (const c of order.slice(0, n)) {
    const id = await identify(c.pid);
    if (id !== undefined)
      chosen.push({ ...id, role: c.role, ...(c.path === undefined ? {} : { path: c.path }) });
  }
  return chosen;
};
