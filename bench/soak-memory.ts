// bench/soak-memory: does the harness's memory level off over a long soak? Runs suites/soak-nightly.yaml
// by the real command line for --minutes (30 by default) at --times its load (3 by default: the orders
// arrival rate and the inventory sessions multiplied), reads the harness side's RSS (harness, watchdog,
// generators; the target is not ours) every --every seconds, and prints the curve, the run's outcome and
// how fast its history grew per minute of load. A plateau: the last third's peak is no higher than the
// middle third's by more than --slack MB. Not a test: `npm run bench:soak-memory [-- --minutes 30
//   --times 3 --every 30 --slack 20 --json]`.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { harnessSide, mb, readMemory } from './run-memory.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    times: { type: 'string', default: '3' },
    every: { type: 'string', default: '30' },
    slack: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const positive = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    process.stderr.write(`bench/soak-memory: --${name} takes a positive number, not ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return n;
};
const minutes = positive('minutes', values.minutes);
const times = positive('times', values.times);
const everyMs = positive('every', values.every) * 1000;
const slackBytes = positive('slack', values.slack) * 1048576;

const CLI = fileURLToPath(new URL('../bin/nettcp-chaos.js', import.meta.url));
const SUITE = fileURLToPath(new URL('../suites/soak-nightly.yaml', import.meta.url));
// The soak's own load, as the suite ships it.
const ORDERS_RATE = 20;
const INVENTORY_SESSIONS = 4;

const dir = await mkdtemp(join(tmpdir(), 'bench-soak-memory-'));
const args = [
  CLI,
  'run',
  SUITE,
  '--out',
  dir,
  '--duration',
  `${minutes}m`,
  '--set',
  `load.0.rate=${ORDERS_RATE * times}`,
  '--set',
  `load.1.sessions=${Math.round(INVENTORY_SESSIONS * times)}`,
];
const started = performance.now();
const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
const exited = once(child, 'exit') as Promise<[number | null]>;

type Point = { minute: number; rssBytes: number };
const curve: Point[] = [];
let done = false;
void exited.then(() => (done = true));
// One reading now and then every --every seconds until the run ends (the run bounds the loop).
while (!done) {
  const r = await readMemory(child.pid!);
  if (r.byRole.harness.count > 0)
    curve.push({ minute: (performance.now() - started) / 60000, rssBytes: harnessSide(r).rss });
  await Promise.race([new Promise((res) => setTimeout(res, everyMs)), exited]);
}
const [code] = await exited;

const runDir = join(dir, 'soak-nightly');
const report = JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as {
  outcome: { result: string };
};
const historyBytes = (await stat(join(runDir, 'history.ndjson'))).size;
const third = (i: number) =>
  curve.filter((p) => p.minute >= (minutes * i) / 3 && p.minute < (minutes * (i + 1)) / 3);
const peakOf = (ps: Point[]) => ps.reduce((m, p) => Math.max(m, p.rssBytes), 0);
const [first, middle, last] = [peakOf(third(0)), peakOf(third(1)), peakOf(third(2))];
const result = {
  minutes,
  times,
  exitCode: code,
  outcome: report.outcome.result,
  curve: curve.map((p) => ({
    minute: Math.round(p.minute * 10) / 10,
    rssMB: Math.round(p.rssBytes / 1048576),
  })),
  peakRssMB: { firstThird: first / 1048576, middleThird: middle / 1048576, lastThird: last / 1048576 },
  plateau: last <= middle + slackBytes,
  historyMBPerMinute: historyBytes / 1048576 / minutes,
  runDir,
};
if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else
  process.stdout.write(
    [
      `soak-nightly for ${minutes} min at ${times}x its load: ${result.outcome} (exit ${code})`,
      `harness-side RSS (harness + watchdog + generators), minute: MB`,
      ...result.curve.map((p) => `  ${p.minute.toFixed(1).padStart(5)}: ${p.rssMB}`),
      `peak per third: ${mb(first)}, ${mb(middle)}, ${mb(last)}; ${result.plateau ? 'levels off' : 'still growing'} (last third within ${values.slack} MB of the middle one: ${result.plateau})`,
      `history: ${(historyBytes / 1048576).toFixed(1)} MB, ${result.historyMBPerMinute.toFixed(2)} MB a minute`,
      `run folder: ${runDir}`,
    ].join('\n') + '\n',
  );
if (code !== 0 && code !== 1) process.stderr.write(stderr);
