// bench/idle-sessions: 10,000 concurrent, mostly idle sessions (constant-sessions, 2 calls 20s apart, 100-byte
// payloads) against an echo target in its own process, run by the real command line. Prints the peak RSS
// (and PSS) of the harness, its watchdog and its generator processes, whether the run was valid, and the
// event-loop delay each of them recorded while the sessions opened (the first 10s of load) and over the
// whole load. Not a test: `npm run bench:idle-sessions [-- --sessions 10000 --duration 45s
//   --generators N|auto --think 20s --json]` (without --generators the load runs in the harness process).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { harnessSide, mb, type Reading, watchMemory } from './run-memory.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '45s' },
    think: { type: 'string', default: '20s' },
    generators: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const sessions = Number(values.sessions);
if (!Number.isInteger(sessions) || sessions < 1) {
  process.stderr.write('bench/idle-sessions: --sessions takes a positive integer\n');
  process.exit(2);
}

const CLI = fileURLToPath(new URL('../bin/nettcp-chaos.js', import.meta.url));
const TARGET = fileURLToPath(new URL('./echo-target.ts', import.meta.url));
// The first seconds of load, while the sessions open.
const OPENING_MS = 10_000;

const suite = `name: idle-sessions
seed: 1
target:
  command: [node, ${JSON.stringify(TARGET)}, "{port}"]
  port: auto
load:
  - name: idle
    via: /idle
    model: constant-sessions
    sessions: ${sessions}
    duration: ${values.duration}
    session: { calls: 2, think: ${values.think}, payload: 100, openTimeout: 30s, callTimeout: 30s }
probe: { interval: 250ms, timeout: 2s }
observe: { interval: 1s }
drain: 30s
checks:
  listener.responsive: { maxGap: 2s }
  sessions.errorRate: { max: 0.01 }
`;

const dir = await mkdtemp(join(tmpdir(), 'bench-idle-'));
const file = join(dir, 'idle-sessions.yaml');
await writeFile(file, suite);
const args = [
  CLI,
  'run',
  file,
  '--out',
  dir,
  ...(values.generators === undefined ? [] : ['--generators', values.generators]),
];
const child = spawn(
  process.execPath,
  [...(process.env['BENCH_HARNESS_FLAGS']?.split(' ').filter(Boolean) ?? []), ...args],
  { stdio: ['ignore', process.env['BENCH_HARNESS_FLAGS'] ? 'inherit' : 'ignore', 'pipe'] },
);
let stderr = '';
child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
const watch = watchMemory(child.pid!, 250);
const [code] = (await once(child, 'exit')) as [number | null];
const readings = await watch.stop();

type Report = {
  outcome: { result: string; invalidCode?: string; invalidReason?: string };
  loads: { ok: number; failed: Record<string, number> }[];
};
const runDir = join(dir, 'idle-sessions');
const report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as Report;
const events = (await readFile(join(runDir, 'history.ndjson'), 'utf8'))
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const loadAt = events.find((e) => e['kind'] === 'phase' && e['phase'] === 'load')?.['t'] as number;
const drainAt = events.find((e) => e['kind'] === 'phase' && e['phase'] === 'drain')?.['t'] as number;
const health = events.filter((e) => e['kind'] === 'sample' && e['source'] === 'generator');
const lagOf = (who: (e: Record<string, unknown>) => boolean, from: number, to: number) => {
  const mine = health.filter((e) => who(e) && (e['t'] as number) >= from && (e['t'] as number) <= to);
  return {
    lagMaxMs: Math.max(0, ...mine.map((e) => e['lagMaxMs'] as number)),
    lagP99Ms: Math.max(0, ...mine.map((e) => e['lagP99Ms'] as number)),
    cpuPercentMax: Math.max(0, ...mine.map((e) => e['cpuPercent'] as number)),
    loopCpuPercentMax: Math.max(0, ...mine.map((e) => (e['loopCpuPercent'] as number | undefined) ?? 0)),
  };
};
const processes = [
  { name: 'harness', who: (e: Record<string, unknown>) => e['generator'] === undefined },
  ...[
    ...new Set(health.flatMap((e) => (e['generator'] === undefined ? [] : [e['generator'] as number]))),
  ].map((g) => ({
    name: `generator ${g}`,
    who: (e: Record<string, unknown>) => e['generator'] === g,
  })),
];
const peak = (pick: (r: Reading) => number) => readings.reduce((m, r) => Math.max(m, pick(r)), 0);
const result = {
  sessions,
  generators: values.generators ?? 'none (in the harness process)',
  exitCode: code,
  outcome: report.outcome.result,
  ...(report.outcome.invalidCode === undefined
    ? {}
    : { invalid: `${report.outcome.invalidCode}: ${report.outcome.invalidReason}` }),
  sessionsOk: report.loads[0]?.ok ?? 0,
  sessionsFailed: Object.values(report.loads[0]?.failed ?? {}).reduce((a, b) => a + b, 0),
  peakRssBytes: {
    harness: peak((r) => r.byRole.harness.rss),
    watchdog: peak((r) => r.byRole.watchdog.rss),
    generators: peak((r) => r.byRole.generator.rss),
    total: peak((r) => harnessSide(r).rss),
  },
  peakPssBytes: { total: peak((r) => harnessSide(r).pss) },
  targetPeakRssBytes: peak((r) => r.byRole.target.rss),
  loopDelay: Object.fromEntries(
    processes.map((p) => [
      p.name,
      { opening: lagOf(p.who, loadAt, loadAt + OPENING_MS), load: lagOf(p.who, loadAt, drainAt) },
    ]),
  ),
  runDir,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const p = result.peakRssBytes;
  process.stdout.write(
    [
      `${sessions} idle sessions, generators: ${result.generators}`,
      `run: ${result.outcome} (exit ${code})${'invalid' in result ? `: ${result.invalid}` : ''}; sessions ok ${result.sessionsOk}, failed ${result.sessionsFailed}`,
      `peak RSS: harness ${mb(p.harness)}, watchdog ${mb(p.watchdog)}, generators ${mb(p.generators)}; all together ${mb(p.total)} (PSS ${mb(result.peakPssBytes.total)}); target ${mb(result.targetPeakRssBytes)}`,
      ...Object.entries(result.loopDelay).map(
        ([name, l]) =>
          `${name}: event-loop delay while opening (first ${OPENING_MS / 1000}s of load) max ${l.opening.lagMaxMs.toFixed(0)} ms, p99 ${l.opening.lagP99Ms.toFixed(0)} ms; over the load max ${l.load.lagMaxMs.toFixed(0)} ms, p99 ${l.load.lagP99Ms.toFixed(0)} ms; CPU at most ${l.load.cpuPercentMax.toFixed(0)}% of a core (its event loop's ${l.load.loopCpuPercentMax.toFixed(0)}%)`,
      ),
      `run folder: ${runDir}`,
    ].join('\n') + '\n',
  );
}
if (code !== 0 && code !== 1) process.stderr.write(stderr.slice(-2000));
