// cpu-spike: keep CPUs busy for the duration. `scope: system` starts N busy processes beside the target
// (optionally pinned to CPUs with taskset, at a load percentage), each with its own end timer; `scope:
// target` has one reference-host worker burn CPU on its own event loop (the host's burn command), which
// is what starves a hand-off in the dispatch-timeout scenario. The achieved load is read from the
// kernel's accounting (the busy processes' CPU time, /proc/stat, the worker's /proc ticks).

import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { errorSentences, type FaultView } from '../model/fault-view.ts';
import { CLOCK_TICKS_PER_SECOND } from '../model/proc-stat.ts';
import { list, nonNegativeInt, oneOf, positiveInt, urlPath } from '../model/fields.ts';
import { FaultError, faultDuration, faultFields, onRemote, percent, sleep } from './common.ts';
import { cpuTicksOf, identify, type ProcessId, signalIfSame, stateOf, waitFor } from './processes.ts';
import { FaultErrorCode } from './errors.ts';
import { plural, whenText } from './present.ts';
import type { Fault, FaultContext } from './types.ts';

const BUSY = fileURLToPath(new URL('./busy-process.ts', import.meta.url));

const schema = z
  .strictObject(
    {
      ...faultFields('cpu-spike'),
      duration: faultDuration(),
      scope: oneOf(
        ['system', 'target'],
        'system (busy processes beside the target) or target (a host worker burns CPU on its own event loop)',
      ).default('system'),
      workers: positiveInt('a positive number of busy processes').optional(),
      load: percent('the load of each busy process (or of the worker), a percentage from 1 to 100').default(
        100,
      ),
      cpus: list(
        nonNegativeInt('a CPU number (0 or more)'),
        'a list of CPU numbers to pin the busy processes to',
        1,
      ).optional(),
      path: urlPath('the service whose worker burns CPU (scope: target), for example /orders').optional(),
    },
    { error: 'a cpu-spike: { at, duration, workers, load, cpus } or { at, duration, scope: target, path }' },
  )
  .meta({ description: 'busy CPUs for a duration: system-wide busy processes, or inside a host worker' });

export type CpuSpikeSpec = z.output<typeof schema>;

// CPU time of the whole machine (/proc/stat's first line), in clock ticks.
type CpuTimes = { busy: number; total: number };

type SystemActive = {
  scope: 'system';
  token: string;
  processes: ProcessId[];
  before: CpuTimes;
  startedAt: number;
};
type TargetActive = {
  scope: 'target';
  path: string;
  worker: ProcessId;
  ticksBefore: number;
  startedAt: number;
  token?: string;
};
type Active = SystemActive | TargetActive;

type BusyReport = { cpuMs: number; wallMs: number; why: string };
// What each spike's busy processes reported on leaving, by pid, under the token its Active carries.
const spikes = new Map<string, Map<number, BusyReport>>();
// Duty-cycled burns running now.
const duties = new Map<string, { stop: boolean; done: Promise<void> }>();
let nextToken = 0;

// How long a busy process may take to start and say ready.
const READY_WITHIN_MS = 10_000;
const PERIOD_MS = 100;

export const readCpuTimes = async (): Promise<CpuTimes> => {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  // idle and iowait are not busy.
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
};

const round = (n: number) => Math.round(n * 10) / 10;

// Starts one busy process; `ready` resolves with whether it said so in time.
const startBusy = (
  s: CpuSpikeSpec,
  reports: Map<number, BusyReport>,
): { child: ChildProcess; ready: Promise<boolean> } => {
  const argv = [process.execPath, BUSY, String(s.duration), String(s.load)];
  const [file, ...args] = s.cpus === undefined ? argv : ['taskset', '-c', s.cpus.join(','), ...argv];
  // Its own process group: a Ctrl-C aimed at the harness does not reach it; heal and the watchdog do.
  const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
  let said: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), READY_WITHIN_MS);
    said = (ok) => (clearTimeout(t), resolve(ok));
  });
  child.once('error', () => said(false));
  child.once('exit', () => said(false));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') return said(true);
    try {
      reports.set(child.pid!, JSON.parse(line));
    } catch {
      // not a report
    }
  });
  // Its stdin stays open (it leaves when the harness does) but keeps nothing alive.
  child.unref();
  for (const h of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) h.unref?.();
  return { child, ready };
};

const injectSystem = async (s: CpuSpikeSpec, ctx: FaultContext): Promise<SystemActive> => {
  const token = `spike-${process.pid}-${++nextToken}`;
  const reports = new Map<number, BusyReport>();
  const children: ChildProcess[] = [];
  spikes.set(token, reports);
  const before = await readCpuTimes();
  const startedAt = Date.now();
  const waiting: Promise<boolean>[] = [];
  for (let i = 0; i < (s.workers ?? 1); i++) {
    const { child, ready } = startBusy(s, reports);
    if (child.pid === undefined) throw new FaultError(FaultErrorCode.Spawn, 'could not start a busy process');
    ctx.safeguard({ action: 'kill-group', pgid: child.pid });
    children.push(child);
    waiting.push(ready);
  }
  const ready = await Promise.all(waiting);
  const processes = (await Promise.all(children.map((c) => identify(c.pid!)))).filter(
    (p): p is ProcessId => p !== undefined,
  );
  if (ready.some((r) => !r)) {
    for (const p of processes) await signalIfSame(p, 'SIGKILL');
    spikes.delete(token);
    throw new FaultError(
      FaultErrorCode.Spawn,
      `${ready.filter((r) => !r).length} of ${children.length} busy process(es) did not start` +
        (s.cpus === undefined ? '' : ` (is taskset installed, and CPUs ${s.cpus.join(',')} online?)`),
    );
  }
  ctx.note({
    started: processes.map((p) => p.pid),
    load: s.load,
    ...(s.cpus === undefined ? {} : { pinnedTo: s.cpus }),
  });
  return { scope: 'system', token, processes, before, startedAt };
};

// Burns LOAD% of every 100ms on the worker's event loop until `untilMs` or until heal stops it.
const startDuty = (ctx: FaultContext, path: string, load: number, untilMs: number): string => {
  const token = `duty-${process.pid}-${++nextToken}`;
  const state = { stop: false, done: Promise.resolve() };
  state.done = (async () => {
    // Bounded by the window: at most one burn per period.
    for (let i = 0; !state.stop && Date.now() < untilMs && i < 1e6; i++) {
      const t0 = performance.now();
      const ms = Math.max(1, Math.min(Math.round((PERIOD_MS * load) / 100), untilMs - Date.now()));
      await ctx.target.control!({ command: 'burn', path, ms }).catch(() => undefined);
      await sleep(Math.max(0, PERIOD_MS - (performance.now() - t0)));
    }
  })();
  duties.set(token, state);
  return token;
};

const injectTarget = async (s: CpuSpikeSpec, ctx: FaultContext): Promise<TargetActive> => {
  const path = s.path!;
  const status = (await ctx.target.control!({ command: 'status' })) as {
    routes?: { path: string; workerPid: number | null }[];
  };
  const pid = status.routes?.find((r) => r.path === path)?.workerPid ?? null;
  const worker = pid === null ? undefined : await identify(pid);
  if (worker === undefined)
    throw new FaultError(FaultErrorCode.NoProcess, `no worker is registered for ${path} to burn CPU in`);
  const ticksBefore = (await cpuTicksOf(worker)) ?? 0;
  const startedAt = Date.now();
  let token: string | undefined;
  if (s.load >= 100) {
    // One block for the whole window: the worker ends it itself.
    await ctx.target.control!({ command: 'burn', path, ms: s.duration });
  } else {
    token = startDuty(ctx, path, s.load, startedAt + s.duration);
  }
  ctx.note({ worker: worker.pid, path, load: s.load });
  return { scope: 'target', path, worker, ticksBefore, startedAt, ...(token === undefined ? {} : { token }) };
};

const healSystem = async (a: SystemActive, ctx: FaultContext): Promise<void> => {
  const after = await readCpuTimes();
  await Promise.all(a.processes.map((p) => signalIfSame(p, 'SIGTERM')));
  const gone = await Promise.all(
    a.processes.map((p) => waitFor(async () => (await stateOf(p)) === undefined, 2000)),
  );
  for (const [i, p] of a.processes.entries()) if (!gone[i]) await signalIfSame(p, 'SIGKILL');
  // Their last words arrive just after they exit.
  const reports = spikes.get(a.token);
  await waitFor(() => (reports?.size ?? 0) >= a.processes.length, 1000);
  spikes.delete(a.token);
  const busy = after.busy - a.before.busy;
  const total = after.total - a.before.total;
  ctx.note({
    achieved: a.processes.map((p) => {
      const r = reports?.get(p.pid);
      return r === undefined
        ? { pid: p.pid, measured: false }
        : {
            pid: p.pid,
            cpuPercent: round((r.cpuMs / r.wallMs) * 100),
            cpuMs: Math.round(r.cpuMs),
            ended: r.why,
          };
    }),
    machineBusyPercent: total > 0 ? round((busy / total) * 100) : null,
    cpus: availableParallelism(),
    leftRunning: (await Promise.all(a.processes.map(stateOf))).filter((x) => x !== undefined).length,
  });
};

const healTarget = async (a: TargetActive, ctx: FaultContext): Promise<void> => {
  if (a.token !== undefined) {
    const d = duties.get(a.token);
    duties.delete(a.token);
    if (d !== undefined) {
      d.stop = true;
      await d.done;
    }
  }
  const ticks = await cpuTicksOf(a.worker);
  const seconds = (Date.now() - a.startedAt) / 1000;
  ctx.note({
    worker: a.worker.pid,
    cpuPercent:
      ticks === undefined ? null : round(((ticks - a.ticksBefore) / CLOCK_TICKS_PER_SECOND / seconds) * 100),
    ...(ticks === undefined ? { gone: true } : {}),
  });
};

export const cpuSpike = {
  name: 'cpu-spike',
  actsOnWorker: true,
  schema,
  checkTarget: (s, target) => {
    if (target === 'remote')
      return [
        onRemote(
          s.scope === 'target'
            ? 'a cpu-spike of scope: target (a host worker burning CPU)'
            : 'a cpu-spike of scope: system (busy processes on this machine, beside the load generator)',
          'burn CPU on the remote host with your own command: { kind: command, at: 5s, duration: 10s, run: [ssh, winhost, powershell, -File, burn.ps1], heal: [ssh, winhost, powershell, -File, stop-burn.ps1] }',
        ),
      ];
    const problems: string[] = [];
    if (s.scope === 'target') {
      if (target === 'command') {
        problems.push(
          'scope: target burns CPU inside a reference host worker (its burn command); a program target takes a system-wide spike (scope: system)',
        );
      } else if (s.path === undefined) {
        problems.push('scope: target burns one worker: name its service (path: /orders)');
      }
      if (s.workers !== undefined || s.cpus !== undefined)
        problems.push('workers and cpus go with scope: system (busy processes), not scope: target');
    } else if (s.path !== undefined) {
      problems.push(
        'path goes with scope: target (a host worker burns CPU); scope: system spikes the machine',
      );
    }
    const cpus = availableParallelism();
    const missing = (s.cpus ?? []).filter((c) => c >= cpus);
    if (missing.length > 0)
      problems.push(`cpus: this machine has CPUs 0 to ${cpus - 1}, not ${missing.join(', ')}`);
    return problems;
  },
  describe: (s) =>
    s.scope === 'target'
      ? `cpu-spike in the worker of ${s.path} at ${s.load}% for ${formatDuration(s.duration)}`
      : `cpu-spike: ${s.workers ?? 1} busy process(es) at ${s.load}%` +
        (s.cpus === undefined ? '' : ` pinned to CPU ${s.cpus.join(',')}`) +
        ` for ${formatDuration(s.duration)}`,
  inject: (s, ctx) => (s.scope === 'target' ? injectTarget(s, ctx) : injectSystem(s, ctx)),
  heal: (a, ctx) => (a.scope === 'target' ? healTarget(a, ctx) : healSystem(a, ctx)),
  recover: async (a) => {
    if (a.scope !== 'system') return [];
    const done: string[] = [];
    for (const p of a.processes)
      if (await signalIfSame(p, 'SIGKILL')) done.push(`killed busy process ${p.pid}, left running`);
    return done;
  },
  present: (r): FaultView => {
    const note = (k: string) => r.notes.find((n) => k in n)?.[k];
    const sentences: string[] = [];
    const tables: FaultView['tables'] = [];
    const load = note('load');
    const started = note('started');
    if (Array.isArray(started)) {
      const pinned = note('pinnedTo');
      sentences.push(
        `Started ${plural(started.length, 'busy process', 'busy processes')} (pid ${started.join(', ')}) at ${String(load)}% each` +
          (Array.isArray(pinned) ? `, pinned to CPU ${pinned.join(',')}` : '') +
          `, ${whenText(r)}.`,
      );
    } else if (note('path') !== undefined) {
      sentences.push(
        `The worker of ${String(note('path'))} (pid ${String(note('worker'))}) burned ${String(load)}% of its event loop, ${whenText(r)}.`,
      );
    }
    const achieved = note('achieved') as
      | (
          { pid: number; measured: false } | { pid: number; cpuPercent: number; cpuMs: number; ended: string }
        )[]
      | undefined;
    if (achieved !== undefined) {
      const busy = note('machineBusyPercent');
      sentences.push(
        (typeof busy === 'number'
          ? `The machine's ${String(note('cpus'))} CPUs were ${busy}% busy meanwhile`
          : 'The machine was not measured') +
          (Number(note('leftRunning') ?? 0) === 0
            ? '; every busy process ended.'
            : `; ${String(note('leftRunning'))} left running.`),
      );
      tables.push({
        caption: 'each busy process',
        columns: ['pid', 'CPU', 'CPU time', 'ended'],
        rows: achieved.map((a) =>
          'cpuPercent' in a
            ? [String(a.pid), `${a.cpuPercent}%`, `${a.cpuMs}ms`, a.ended]
            : [String(a.pid), 'not measured', '-', '-'],
        ),
      });
    } else if (note('cpuPercent') !== undefined || note('gone') !== undefined) {
      const cpu = r.notes.findLast((n) => 'cpuPercent' in n)?.['cpuPercent'];
      sentences.push(
        typeof cpu === 'number'
          ? `The worker used ${cpu}% of a CPU while it burned.`
          : 'The worker was gone by the heal.',
      );
    }
    return { sentences: [...sentences, ...errorSentences(r)], tables };
  },
} satisfies Fault<typeof schema, Active>;
