// bench/generator: what a second generator process buys, measured side by side in one run against the
// echo endpoint in its own process (bench/echo-target.ts), through the real command line
// (`nettcp-chaos run SUITE --out DIR --generators N`).
//  1. The highest open-model session rate (constant-arrival-rate, sessions of one 100-byte echo call)
//     sustained with 1 and with 2 generators: the run is valid (no generator or harness saturated),
//     sessions.errorRate within 1%, next to no dropped sessions, and sessions ended per second of load
//     at least 95% of the rate asked. The rate steps up by --factor from --start until a run fails,
//     then bisects; the two searches take turns, so both see the same machine.
//  2. Peak RSS of the harness, its watchdog and its generators per 1,000 idle sessions (constant-sessions,
//     2 calls --think apart), with 1 and with 2 generators.
// Not a test: `npm run bench:generator [-- --max-runs 8 --seconds 7 --start 500 --factor 1.5
//   --bisect 2 --idle-sessions 2000 --think 10 --budget 12 --json --keep]`.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readHistory } from '../harness/history/read.ts';
import type { History } from '../model/history.ts';
import type { Report } from '../reports/report-schema.ts';
import { harnessSide, mb, type Reading, watchMemory } from './run-memory.ts';

const { values } = parseArgs({
  options: {
    'max-runs': { type: 'string', default: '8' },
    seconds: { type: 'string', default: '7' },
    start: { type: 'string', default: '500' },
    factor: { type: 'string', default: '1.5' },
    bisect: { type: 'string', default: '2' },
    'idle-sessions': { type: 'string', default: '2000' },
    think: { type: 'string', default: '10' },
    budget: { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const number = (flag: string, min: number, integer: boolean): number => {
  const v = Number(values[flag as keyof typeof values]);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    process.stderr.write(
      `bench/generator: --${flag} takes ${integer ? 'an integer' : 'a number'} of at least ${min}, got ${String(values[flag as keyof typeof values])}\n`,
    );
    process.exit(2);
  }
  return v;
};
const MAX_RUNS = number('max-runs', 1, true);
const SECONDS = number('seconds', 1, false);
const START = number('start', 1, false);
const FACTOR = number('factor', 1.05, false);
const BISECT = number('bisect', 0, true);
const IDLE = number('idle-sessions', 1, true);
const THINK = number('think', 2, false);
// Minutes the whole bench may take; no rate run starts once it would end past it.
const BUDGET_MS = number('budget', 1, false) * 60_000;

const GENERATORS = [1, 2] as const;
// What "sustained" means.
const MAX_ERROR_RATE = 0.01;
const MAX_DROPPED_SHARE = 0.001;
const MIN_ACHIEVED = 0.95;
// A run's start, baseline, drain and settle around its load, and how long past that it may take
// before it is killed.
const RUN_OVERHEAD_MS = 6_000;
const RUN_GRACE_MS = 90_000;

const CLI = fileURLToPath(new URL('../bin/nettcp-chaos.js', import.meta.url));
const TARGET = fileURLToPath(new URL('./echo-target.ts', import.meta.url));

const suiteText = (name: string, load: string, drain: string): string => `name: ${name}
seed: 1
target:
  command: [node, ${JSON.stringify(TARGET)}, "{port}"]
  port: auto
load:
${load}
probe: { interval: 250ms, timeout: 2s }
observe: { interval: 1s }
drain: ${drain}
checks:
  sessions.errorRate: { max: ${MAX_ERROR_RATE} }
`;

const rateLoad = (rate: number) => `  - name: rate
    via: /echo
    model: constant-arrival-rate
    rate: ${rate}
    duration: ${SECONDS}s
    maxSessions: 20000
    session: { calls: 1, payload: 100, openTimeout: 5s, callTimeout: 5s }`;

// The sessions open at once and stay open for --think; load stops before the first ones end, so
// none starts again and all of them end in the drain.
const idleLoad = `  - name: idle
    via: /idle
    model: constant-sessions
    sessions: ${IDLE}
    duration: ${THINK - 1}s
    session: { calls: 2, think: ${THINK}s, payload: 100, openTimeout: 30s, callTimeout: 30s }`;

const dir = await mkdtemp(join(tmpdir(), 'bench-generator-'));
let current: ChildProcess | undefined;
const cleanUp = async () => {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  current?.kill('SIGTERM');
  void cleanUp().then(() => process.exit(130));
});

type Ran = {
  code: number | null;
  report?: Report;
  history?: History;
  readings: Reading[];
  stderr: string;
  machineBusy: number;
};

// The machine's CPU time so far, busy and in all (jiffies, all cores), from /proc/stat's first line.
const cpuTimes = async (): Promise<{ busy: number; total: number }> => {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
};

// Runs one suite through the command line and reads what it left.
const run = async (name: string, text: string, generators: number, limitMs: number, memory: boolean) => {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  const child = spawn(
    process.execPath,
    [CLI, 'run', file, '--out', dir, '--generators', String(generators)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  current = child;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let kill: NodeJS.Timeout | undefined;
  const limit = setTimeout(() => {
    child.kill('SIGTERM');
    kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  }, limitMs);
  const watch = memory ? watchMemory(child.pid!, 250) : undefined;
  const cpuBefore = await cpuTimes();
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(limit);
  clearTimeout(kill);
  current = undefined;
  const cpuAfter = await cpuTimes();
  const machineBusy =
    ((cpuAfter.busy - cpuBefore.busy) / Math.max(1, cpuAfter.total - cpuBefore.total)) * 100;
  const readings = (await watch?.stop()) ?? [];
  const runDir = join(dir, name);
  const ran: Ran = { code, readings, stderr, machineBusy };
  try {
    ran.report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as Report;
    ran.history = await readHistory(join(runDir, 'history.ndjson'));
  } catch {
    // No report: the run died; the caller says so with its stderr.
  }
  return ran;
};

const phaseAt = (h: History, phase: string): number | undefined =>
  h.events.find((e) => e.kind === 'phase' && e.phase === phase)?.t;
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

type RateRun = {
  generators: number;
  rate: number;
  sustained: boolean;
  why: string[];
  exitCode: number | null;
  outcome: string;
  invalid?: string;
  started: number;
  ended: number;
  dropped: number;
  errorRate: number | null;
  // Sessions ended per second over the load phase's windows.
  achieved: number;
  p99Ms: number | null;
  // Mean CPU over the load, percent of a core: each generator's, the harness's, the target's.
  generatorCpu: number[];
  harnessCpu: number;
  targetCpu: number;
  // The highest event-loop delay p99 a generator had over the load: a generator short of CPU shows here.
  generatorLagMs: number;
  // How busy the machine's cores were over the whole run (every process on it), percent of all cores.
  machineBusy: number;
};

const rateRun = async (generators: number, rate: number): Promise<RateRun> => {
  const name = `rate-${generators}gen-${rate}`;
  const ran = await run(
    name,
    suiteText(name, rateLoad(rate), '5s'),
    generators,
    SECONDS * 1000 + RUN_OVERHEAD_MS + RUN_GRACE_MS,
    false,
  );
  const base = { generators, rate, exitCode: ran.code };
  const { report, history } = ran;
  const loadAt = history === undefined ? undefined : phaseAt(history, 'load');
  const drainAt = history === undefined ? undefined : phaseAt(history, 'drain');
  if (report === undefined || history === undefined || loadAt === undefined || drainAt === undefined) {
    return {
      ...base,
      sustained: false,
      why: [
        `no report or no load phase (exit ${ran.code}): ${ran.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      ],
      outcome: 'none',
      started: 0,
      ended: 0,
      dropped: 0,
      errorRate: null,
      achieved: 0,
      p99Ms: null,
      generatorCpu: [],
      harnessCpu: 0,
      targetCpu: 0,
      generatorLagMs: 0,
      machineBusy: ran.machineBusy,
    };
  }
  const inLoad = (t: number) => t > loadAt && t <= drainAt;
  const windows = history.events.filter((e) => e.kind === 'sample' && e.source === 'load' && inLoad(e.t));
  let ended = 0;
  let windowMs = 0;
  for (const w of windows) {
    if (w.kind !== 'sample' || w.source !== 'load') continue;
    ended += w.ok + Object.values(w.failed).reduce((a, b) => a + b, 0);
    windowMs += w.windowMs;
  }
  const achieved = windowMs === 0 ? 0 : ended / (windowMs / 1000);
  const health = history.events.flatMap((e) =>
    e.kind === 'sample' && e.source === 'generator' && inLoad(e.t) ? [e] : [],
  );
  const targetCpu = mean(
    history.events.flatMap((e) =>
      e.kind === 'sample' && e.source === 'target' && inLoad(e.t)
        ? [e.processes.reduce((n, p) => n + (p.cpuPercent ?? 0), 0)]
        : [],
    ),
  );
  const load = report.loads[0];
  const invalid =
    report.outcome.invalidCode === undefined
      ? undefined
      : `${report.outcome.invalidCode}: ${report.outcome.invalidReason ?? ''}`;
  const why: string[] = [];
  if (invalid !== undefined) why.push(`invalid (${report.outcome.invalidCode})`);
  if (load === undefined) why.push('no load figures');
  if (load !== undefined && (load.errorRate ?? 1) > MAX_ERROR_RATE)
    why.push(`errors ${((load.errorRate ?? 1) * 100).toFixed(2)}%`);
  if (load !== undefined && load.dropped > load.started * MAX_DROPPED_SHARE)
    why.push(`${load.dropped} dropped`);
  if (achieved < rate * MIN_ACHIEVED) why.push(`ended ${((achieved / rate) * 100).toFixed(1)}% of the rate`);
  return {
    ...base,
    sustained: why.length === 0,
    why,
    outcome: report.outcome.result,
    ...(invalid === undefined ? {} : { invalid }),
    started: load?.started ?? 0,
    ended,
    dropped: load?.dropped ?? 0,
    errorRate: load?.errorRate ?? null,
    achieved,
    p99Ms: load?.latencyMs.corrected.p99 ?? null,
    generatorCpu: Array.from({ length: generators }, (_, g) =>
      mean(health.filter((e) => e.generator === g).map((e) => e.cpuPercent)),
    ),
    harnessCpu: mean(health.filter((e) => e.generator === undefined).map((e) => e.cpuPercent)),
    targetCpu,
    generatorLagMs: Math.max(0, ...health.filter((e) => e.generator !== undefined).map((e) => e.lagP99Ms)),
    machineBusy: ran.machineBusy,
  };
};

// One generator count's search: the highest rate sustained (lo) and the lowest that was not (hi).
type Search = { generators: number; runs: RateRun[]; lo?: number; hi?: number; bisections: number };

const nextRate = (s: Search): number | undefined => {
  if (s.runs.length >= MAX_RUNS) return undefined;
  if (s.hi === undefined) return s.lo === undefined ? Math.round(START) : Math.round(s.lo * FACTOR);
  if (s.lo === undefined) {
    const down = Math.round(s.hi / FACTOR);
    return down >= 1 && down < s.hi ? down : undefined;
  }
  const mid = Math.round((s.lo + s.hi) / 2);
  if (s.bisections >= BISECT || mid <= s.lo || mid >= s.hi) return undefined;
  s.bisections++;
  return mid;
};

const began = performance.now();
const say = (line: string) => process.stderr.write(`${line}\n`);
const searches: Search[] = GENERATORS.map((generators) => ({ generators, runs: [], bisections: 0 }));
let cutShort = false;
try {
  // The searches take turns, one run each, so that both see the same machine.
  for (let round = 0; round < MAX_RUNS * 2; round++) {
    let any = false;
    for (const s of searches) {
      const rate = nextRate(s);
      if (rate === undefined) continue;
      if (performance.now() - began + SECONDS * 1000 + RUN_OVERHEAD_MS > BUDGET_MS) {
        cutShort = true;
        break;
      }
      any = true;
      const r = await rateRun(s.generators, rate);
      s.runs.push(r);
      if (r.sustained) s.lo = Math.max(s.lo ?? 0, rate);
      else s.hi = Math.min(s.hi ?? Infinity, rate);
      say(
        `${s.generators} generator(s), ${rate}/s: ${r.sustained ? 'sustained' : `not sustained (${r.why.join(', ')})`}; ended ${r.achieved.toFixed(0)}/s`,
      );
    }
    if (!any || cutShort) break;
  }
} catch (e) {
  await cleanUp();
  throw e;
}

type MemoryRun = {
  generators: number;
  sessions: number;
  exitCode: number | null;
  outcome: string;
  invalid?: string;
  // The most sessions in flight at the end of a window.
  heldAtOnce: number;
  ok: number;
  failed: number;
  peakRssBytes: { harness: number; watchdog: number; generators: number; total: number };
  // The harness side's RSS at the last reading before load.
  beforeLoadRssBytes: number;
  peakRssPer1000: number;
  addedRssPer1000: number;
};

const memoryRun = async (generators: number): Promise<MemoryRun> => {
  const name = `idle-${generators}gen`;
  const ran = await run(
    name,
    suiteText(name, idleLoad, '30s'),
    generators,
    THINK * 1000 + 30_000 + RUN_OVERHEAD_MS + RUN_GRACE_MS,
    true,
  );
  const { report, history, readings } = ran;
  const peak = (pick: (r: Reading) => number) => readings.reduce((m, r) => Math.max(m, pick(r)), 0);
  const total = peak((r) => harnessSide(r).rss);
  // Readings carry this process's clock, history events the run's: both are wall clock underneath.
  const loadAt = history === undefined ? undefined : phaseAt(history, 'load');
  const loadWall =
    history === undefined || loadAt === undefined ? undefined : Date.parse(history.meta.startedAt) + loadAt;
  const before =
    loadWall === undefined ? undefined : readings.findLast((r) => performance.timeOrigin + r.t < loadWall);
  const beforeRss = before === undefined ? 0 : harnessSide(before).rss;
  const heldAtOnce = Math.max(
    0,
    ...(history?.events ?? []).flatMap((e) => (e.kind === 'sample' && e.source === 'load' ? [e.active] : [])),
  );
  const load = report?.loads[0];
  const invalid =
    report?.outcome.invalidCode === undefined
      ? undefined
      : `${report.outcome.invalidCode}: ${report.outcome.invalidReason ?? ''}`;
  if (report === undefined)
    say(`idle sessions, ${generators} generator(s): no report (exit ${ran.code}): ${ran.stderr.slice(-500)}`);
  return {
    generators,
    sessions: IDLE,
    exitCode: ran.code,
    outcome: report?.outcome.result ?? 'none',
    ...(invalid === undefined ? {} : { invalid }),
    heldAtOnce,
    ok: load?.ok ?? 0,
    failed: Object.values(load?.failed ?? {}).reduce((a, b) => a + b, 0) + (load?.dropped ?? 0),
    peakRssBytes: {
      harness: peak((r) => r.byRole.harness.rss),
      watchdog: peak((r) => r.byRole.watchdog.rss),
      generators: peak((r) => r.byRole.generator.rss),
      total,
    },
    beforeLoadRssBytes: beforeRss,
    peakRssPer1000: total / (IDLE / 1000),
    addedRssPer1000: before === undefined ? 0 : (total - beforeRss) / (IDLE / 1000),
  };
};

const memory: MemoryRun[] = [];
try {
  for (const g of GENERATORS) {
    memory.push(await memoryRun(g));
    say(`idle sessions, ${g} generator(s): peak ${mb(memory.at(-1)!.peakRssBytes.total)}`);
  }
} finally {
  await cleanUp();
}

const highest = Object.fromEntries(searches.map((s) => [s.generators, s.lo ?? null])) as Record<
  number,
  number | null
>;
const ratio = highest[1] && highest[2] ? highest[2] / highest[1] : null;
const result = {
  machine: { cores: availableParallelism(), loadAverage1m: loadavg()[0] ?? 0 },
  settings: {
    maxRuns: MAX_RUNS,
    seconds: SECONDS,
    start: START,
    factor: FACTOR,
    bisect: BISECT,
    idleSessions: IDLE,
    thinkSeconds: THINK,
    sustained: {
      maxErrorRate: MAX_ERROR_RATE,
      maxDroppedShare: MAX_DROPPED_SHARE,
      minAchievedShare: MIN_ACHIEVED,
    },
  },
  rate: {
    runs: searches.flatMap((s) => s.runs),
    highest,
    ratio,
    cutShortByBudget: cutShort,
  },
  memory,
  tookSeconds: Math.round((performance.now() - began) / 1000),
  ...(values.keep ? { dir } : {}),
};

const pad = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
const table = (head: string[], rows: string[][]): string[] => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [pad(head, widths), ...rows.map((r) => pad(r, widths))].map((l) => l.trimEnd());
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const rows = searches.flatMap((s) =>
    [...s.runs]
      .sort((a, b) => a.rate - b.rate)
      .map((r) => [
        String(r.generators),
        String(r.rate),
        r.achieved.toFixed(0),
        r.errorRate === null ? '-' : `${(r.errorRate * 100).toFixed(2)}%`,
        String(r.dropped),
        r.p99Ms === null ? '-' : r.p99Ms.toFixed(1),
        r.generatorCpu.map((c) => c.toFixed(0)).join('/'),
        r.harnessCpu.toFixed(0),
        r.targetCpu.toFixed(0),
        r.generatorLagMs.toFixed(0),
        r.machineBusy.toFixed(0),
        r.sustained ? 'yes' : `no: ${r.why.join(', ')}`,
      ]),
  );
  const fmt = (n: number | null) => (n === null ? 'none' : `${n}/s`);
  const lines = [
    `machine: ${result.machine.cores} cores, load average ${result.machine.loadAverage1m.toFixed(1)} at the end; took ${result.tookSeconds}s`,
    '',
    `Open-model rate: constant-arrival-rate, 1 echo call of 100 bytes per session, ${SECONDS}s of load per run;`,
    `sustained = valid run, errors <= ${MAX_ERROR_RATE * 100}%, dropped <= ${MAX_DROPPED_SHARE * 100}% of started, ended/s >= ${MIN_ACHIEVED * 100}% of asked`,
    ...table(
      [
        'gens',
        'asked/s',
        'ended/s',
        'errors',
        'dropped',
        'p99 ms',
        'gen CPU%',
        'harness CPU%',
        'target CPU%',
        'gen lag ms',
        'machine busy%',
        'sustained',
      ],
      rows,
    ),
    '',
    `highest sustained: 1 generator ${fmt(highest[1] ?? null)}, 2 generators ${fmt(highest[2] ?? null)}; 2 generators / 1 generator: ${ratio === null ? 'n/a' : `${ratio.toFixed(2)}x`}${cutShort ? ' (search cut short by --budget)' : ''}`,
    '',
    `Idle sessions: constant-sessions ${IDLE}, 2 calls ${THINK}s apart; peak RSS of harness + watchdog + generators`,
    ...table(
      [
        'gens',
        'held',
        'run',
        'harness',
        'watchdog',
        'generators',
        'total',
        'before load',
        'total/1,000',
        'added/1,000',
      ],
      memory.map((m) => [
        String(m.generators),
        String(m.heldAtOnce),
        m.invalid === undefined ? `${m.outcome}, ${m.failed} failed` : m.invalid,
        mb(m.peakRssBytes.harness),
        mb(m.peakRssBytes.watchdog),
        mb(m.peakRssBytes.generators),
        mb(m.peakRssBytes.total),
        mb(m.beforeLoadRssBytes),
        `${(m.peakRssPer1000 / 1048576).toFixed(1)} MB`,
        `${(m.addedRssPer1000 / 1048576).toFixed(1)} MB`,
      ]),
    ),
    ...(values.keep ? ['', `run folders: ${dir}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
