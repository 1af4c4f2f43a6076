// bench/dotnet-client: the project's own net.tcp client and a whole nettcp-chaos suite run next to the real
// .NET WCF client (interop/client, `InteropClient load`), side by side in one run against the same SOAP
// service, a reference-host worker (IInteropService over NetTcpBinding's binary session encoding, through
// the host's listener). Shapes: session churn (open, N Echo calls, close) over 1, 16 and 64 lanes with
// N = 1 and 10, and persistent sessions (one per lane, calls back to back). Reports sessions/s, calls/s,
// p99s and each client's CPU per 1,000 sessions (per 1,000 calls for persistent sessions) read from /proc,
// with every row's ratios to the pooled .NET client (the default a WCF application gets).
//
// Clients, each in a process of its own, one after another, the order alternating from cell to cell so
// that noise on the shared machine hits them alike:
// - ours, ours-pooled: bench/nettcp-load.ts (clients/nettcp with the SOAP codec), without and with the
//   client's connection pool;
// - pooled, unpooled: the .NET client with its connection pool (its default) and without;
// - suite, suite-pooled: `nettcp-chaos run` of a generated suite with the same shape (a constant-sessions
//   load, `session.pooled` false or true) against a reference host configured as the bench's own: the whole
//   harness (history, load windows, observers, probe) as a user runs it. Its CPU is the harness process's,
//   read from /proc/PID/stat at the start and end of the measured part of its load window (the host's own
//   processes are not counted, as for the other clients); its sessions, calls and p99s come from the load
//   windows of that part in its history.
// Every client gets the same warm-up first (unreported): the .NET client and ours their --warmup-ms, the suite
// the first seconds of its load.
//
// Not a test: `npm run bench:dotnet-client [-- --seconds 3 --warmup 1 --lanes 1,16,64 --calls 1,10
//   --shapes churn,persistent --clients ours,ours-pooled,pooled,unpooled,suite,suite-pooled
//   --target net.tcp://HOST:PORT/PATH --json]`. --target points the clients at a service of your own
// instead (the suite clients need the bench's host and are left out).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HostConfigInput } from '../host/config-input.ts';
import { spawnHost } from '../host/spawn.ts';
import type { HistoryEvent, LoadSample } from '../model/history.ts';
import { mergeWindows, percentilesMs } from '../model/latency.ts';
import { CLOCK_TICKS_PER_SECOND, parseStat } from '../model/proc-stat.ts';

const CLIENT_NAMES = ['ours', 'ours-pooled', 'pooled', 'unpooled', 'suite', 'suite-pooled'] as const;
type ClientName = (typeof CLIENT_NAMES)[number];
const LABEL: Record<ClientName, string> = {
  ours: 'ours',
  'ours-pooled': 'ours pooled',
  pooled: '.NET pooled',
  unpooled: '.NET unpooled',
  suite: 'suite',
  'suite-pooled': 'suite pooled',
};

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    lanes: { type: 'string', default: '1,16,64' },
    calls: { type: 'string', default: '1,10' },
    shapes: { type: 'string', default: 'churn,persistent' },
    clients: { type: 'string', default: CLIENT_NAMES.join(',') },
    target: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').filter((x) => x !== '');
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const laneCounts = list(values.lanes).map(Number);
const callCounts = list(values.calls).map(Number);
const shapes = list(values.shapes);
let clients = list(values.clients) as ClientName[];
const usage = (why: string): never => {
  process.stderr.write(`bench/dotnet-client: ${why}\n`);
  process.exit(2);
};
// The suite's load windows are the harness's observe interval (500 ms): whole windows keep counts exact.
if (!(seconds > 0 && Number.isInteger(seconds * 2)) || !(warmup >= 0 && Number.isInteger(warmup * 2)))
  usage('--seconds (> 0) and --warmup (>= 0) are multiples of 0.5');
if (![...laneCounts, ...callCounts].every((n) => Number.isInteger(n) && n > 0))
  usage('--lanes and --calls take positive integers');
if (!shapes.every((s) => s === 'churn' || s === 'persistent')) usage('--shapes: churn and/or persistent');
if (!clients.every((c) => (CLIENT_NAMES as readonly string[]).includes(c)))
  usage(`--clients: any of ${CLIENT_NAMES.join(', ')}`);
if (values.target !== undefined) clients = clients.filter((c) => !c.startsWith('suite'));

const DOTNET_CLIENT = fileURLToPath(
  new URL('../interop/client/bin/Release/net10.0/InteropClient.dll', import.meta.url),
);
const OUR_CLIENT = fileURLToPath(new URL('./nettcp-load.ts', import.meta.url));
const HARNESS = fileURLToPath(new URL('../harness/cli/main.ts', import.meta.url));
if (clients.some((c) => c === 'pooled' || c === 'unpooled') && !existsSync(DOTNET_CLIENT)) {
  process.stderr.write(`bench/dotnet-client: ${DOTNET_CLIENT} is not built (run: bash interop/build.sh)\n`);
  process.exit(1);
}

// The service every client calls: one worker at /svc whose throttles and the listener's queues are wide
// enough not to be what is measured. The suite's target is the same, in YAML.
const HOST: HostConfigInput = {
  sharing: {
    listenBacklog: 1024,
    maxPendingConnections: 1000,
    maxPendingAccepts: 16,
    receiveTimeoutMs: 10_000,
    dispatchTimeoutMs: 30_000,
  },
  services: [
    {
      path: '/svc',
      activation: { mode: 'startup' },
      throttle: { maxConcurrentCalls: 1000, maxConcurrentSessions: 1000 },
    },
  ],
};
const SUITE_TARGET = `target:
  host:
    listen: 127.0.0.1:0
    sharing: { listenBacklog: 1024, maxPendingConnections: 1000, maxPendingAccepts: 16, receiveTimeout: 10s, dispatchTimeout: 30s }
    services:
      - path: /svc
        activation: { mode: startup }
        throttle: { maxConcurrentCalls: 1000, maxConcurrentSessions: 1000 }`;

// What every client's run comes to.
type Summary = {
  sessionsOk: number;
  sessionsFailed: number;
  failures: Record<string, number>;
  callsOk: number;
  wallMs: number;
  p99SessionMs: number;
  p99CallMs: number;
  cpuMs: number;
};

// The shape of one cell: churn of N-call sessions, or persistent sessions (calls === null).
type Shape = { lanes: number; calls: number | null };

// Runs a load driver (ours or .NET) to its summary line; killed by pid if it overruns by a minute.
const runDriver = (command: string, args: string[]): Promise<Summary> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), (warmup + seconds) * 1000 + 60000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{'))
        return reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${err}`));
      const s = JSON.parse(last) as {
        sessions: { ok: number; failed: number; byType: Record<string, number> };
        calls: { ok: number };
        wallMs: number;
        sessionMs: { p99: number };
        callMs: { p99: number };
        cpuMs: number;
      };
      resolve({
        sessionsOk: s.sessions.ok,
        sessionsFailed: s.sessions.failed,
        failures: s.sessions.byType,
        callsOk: s.calls.ok,
        wallMs: s.wallMs,
        p99SessionMs: s.sessionMs.p99,
        p99CallMs: s.callMs.p99,
        cpuMs: s.cpuMs,
      });
    });
  });

const driverArgs = (shape: Shape): string[] => [
  '--lanes',
  String(shape.lanes),
  '--duration-ms',
  String(seconds * 1000),
  '--warmup-ms',
  String(warmup * 1000),
  ...(shape.calls === null ? ['--persistent'] : ['--calls', String(shape.calls)]),
];

// A process's CPU time (user + system) in ms, from /proc/PID/stat; undefined once it is gone.
const cpuOf = (pid: number): number | undefined => {
  try {
    const s = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return s === undefined ? undefined : ((s.utime + s.stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
};

// The suite of a shape: one constant-sessions load of warm-up + measured seconds, as the bench's host.
const suiteYaml = (shape: Shape, pooled: boolean): string => `name: bench
${SUITE_TARGET}
load:
  - name: bench
    via: /svc
    model: constant-sessions
    sessions: ${shape.lanes}
    duration: ${(warmup + seconds) * 1000}ms
    session:
      calls: ${shape.calls ?? 100_000_000}
      payload: 5
      openTimeout: 10s
      callTimeout: 10s
      pooled: ${pooled}
      soap: { operation: Echo, contract: IInteropService, params: { text: "{payload}" } }
drain: ${shape.calls === null ? '100ms' : '10s'}
`;

// Runs the suite of a shape through the harness and measures the part of its load after the warm-up.
const runSuite = async (shape: Shape, pooled: boolean): Promise<Summary> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dotnet-client-'));
  try {
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, suiteYaml(shape, pooled));
    const out = join(dir, 'out');
    const child: ChildProcess = spawn(process.execPath, [HARNESS, 'run', file, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const pid = child.pid!;
    // /proc readings of the harness process and the history lines as they appear, every 20 ms.
    const readings: { at: number; cpuMs: number }[] = [];
    const events: HistoryEvent[] = [];
    let loadAt: { bench: number; t: number } | undefined;
    const history = join(out, 'bench', 'history.ndjson');
    let offset = 0;
    let partial = '';
    const killer = setTimeout(() => process.kill(pid, 'SIGKILL'), (warmup + seconds) * 1000 + 120_000);
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      const cpu = cpuOf(pid);
      const at = performance.now();
      if (cpu !== undefined) readings.push({ at, cpuMs: cpu });
      if (existsSync(history)) {
        const fh = await open(history, 'r');
        const { size } = await fh.stat();
        if (size > offset) {
          const buf = Buffer.alloc(size - offset);
          await fh.read(buf, 0, buf.length, offset);
          offset = size;
          const parts = (partial + buf.toString()).split('\n');
          partial = parts.pop()!;
          for (const l of parts) {
            const e = JSON.parse(l) as HistoryEvent;
            events.push(e);
            if (e.kind === 'phase' && e.phase === 'load') loadAt = { bench: at, t: e.t };
          }
        }
        await fh.close();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    clearTimeout(killer);
    if (loadAt === undefined) throw new Error(`the suite run never reached its load: ${err}`);
    // The measured windows: whole load windows after the warm-up, up to the end of load.
    const from = loadAt.t + warmup * 1000;
    const to = loadAt.t + (warmup + seconds) * 1000;
    const windows = events.filter(
      (e): e is LoadSample =>
        e.kind === 'sample' && e.source === 'load' && e.t - e.windowMs >= from - 50 && e.t <= to + 250,
    );
    if (windows.length === 0) throw new Error('the suite run wrote no load window');
    const start = windows[0]!.t - windows[0]!.windowMs;
    const end = windows.at(-1)!.t;
    // History time to bench time: the load phase's line was seen within 20 ms of being written.
    const seen = loadAt;
    const benchAt = (t: number) => seen.bench + (t - seen.t);
    const cpuAt = (at: number): number => {
      const i = readings.findIndex((r) => r.at >= at);
      if (i <= 0) return readings[Math.max(0, i)]?.cpuMs ?? Number.NaN;
      const a = readings[i - 1]!;
      const b = readings[i]!;
      return a.cpuMs + ((b.cpuMs - a.cpuMs) * (at - a.at)) / (b.at - a.at);
    };
    const failures: Record<string, number> = {};
    for (const w of windows)
      for (const [k, v] of Object.entries(w.failed)) failures[k] = (failures[k] ?? 0) + v;
    const sessions = mergeWindows(windows.map((w) => w.latency.uncorrected));
    const calls = mergeWindows(windows.map((w) => w.latency.call));
    const summary: Summary = {
      sessionsOk: windows.reduce((n, w) => n + w.ok, 0),
      sessionsFailed: Object.values(failures).reduce((a, b) => a + b, 0),
      failures,
      callsOk: windows.reduce((n, w) => n + w.calls.ok, 0),
      wallMs: end - start,
      p99SessionMs: percentilesMs(sessions).p99,
      p99CallMs: percentilesMs(calls).p99,
      cpuMs: cpuAt(benchAt(end)) - cpuAt(benchAt(start)),
    };
    sessions.destroy();
    calls.destroy();
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const runClient = (name: ClientName, url: string, shape: Shape): Promise<Summary> => {
  switch (name) {
    case 'ours':
    case 'ours-pooled':
      return runDriver(process.execPath, [
        OUR_CLIENT,
        url,
        ...driverArgs(shape),
        ...(name === 'ours-pooled' ? ['--pooled'] : []),
      ]);
    case 'pooled':
    case 'unpooled':
      return runDriver('dotnet', [
        DOTNET_CLIENT,
        'load',
        url,
        ...driverArgs(shape),
        '--summary',
        name === 'pooled' ? '--pooled' : '--unpooled',
      ]);
    case 'suite':
    case 'suite-pooled':
      return runSuite(shape, name === 'suite-pooled');
  }
};

type Row = Shape & {
  shape: 'churn' | 'persistent';
  client: ClientName;
  sessionsPerSec: number;
  callsPerSec: number;
  p99SessionMs: number;
  p99CallMs: number;
  // CPU ms per 1,000 sessions (churn) or per 1,000 calls (persistent).
  cpuPer1k: number;
  failed: number;
  failures: Record<string, number>;
};

const cells: (Shape & { shape: 'churn' | 'persistent'; clients: ClientName[] })[] = [];
for (const shape of shapes)
  for (const lanes of laneCounts)
    for (const calls of shape === 'churn' ? callCounts : [null])
      // Pooling does not apply to a session that stays open: persistent cells run each client once.
      cells.push({
        shape: shape as 'churn' | 'persistent',
        lanes,
        calls,
        clients:
          shape === 'churn'
            ? clients
            : clients.filter((c) => c !== 'unpooled' && c !== 'ours-pooled' && c !== 'suite-pooled'),
      });

const host = values.target === undefined ? await spawnHost(HOST) : undefined;
const url = values.target ?? host!.url('/svc');
const rows: Row[] = [];
try {
  for (const [i, cell] of cells.entries()) {
    const order = i % 2 === 0 ? cell.clients : [...cell.clients].reverse();
    for (const client of order) {
      const s = await runClient(client, url, cell);
      const per = cell.shape === 'churn' ? s.sessionsOk : s.callsOk;
      rows.push({
        shape: cell.shape,
        lanes: cell.lanes,
        calls: cell.calls,
        client,
        sessionsPerSec: s.sessionsOk / (s.wallMs / 1000),
        callsPerSec: s.callsOk / (s.wallMs / 1000),
        p99SessionMs: s.p99SessionMs,
        p99CallMs: s.p99CallMs,
        cpuPer1k: per === 0 ? Number.NaN : (s.cpuMs / per) * 1000,
        failed: s.sessionsFailed,
        failures: s.failures,
      });
    }
  }
} finally {
  await host?.stop();
}

const same = (a: Row, b: Row) => a.shape === b.shape && a.lanes === b.lanes && a.calls === b.calls;
const dotnetPooled = (r: Row) => rows.find((o) => o.client === 'pooled' && same(o, r));
const ORDER = (c: ClientName) => CLIENT_NAMES.indexOf(c);
rows.sort(
  (a, b) =>
    shapes.indexOf(a.shape) - shapes.indexOf(b.shape) ||
    a.lanes - b.lanes ||
    (a.calls ?? 0) - (b.calls ?? 0) ||
    ORDER(a.client) - ORDER(b.client),
);

if (values.json) {
  process.stdout.write(`${JSON.stringify({ seconds, warmup, service: url, rows })}\n`);
} else {
  const n = (v: number, w: number) =>
    (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-').padStart(w);
  const ms = (v: number, w: number) => (Number.isFinite(v) && v > 0 ? `${v.toFixed(1)}ms` : '-').padStart(w);
  const x = (v: number) => (Number.isFinite(v) && v > 0 ? `${v.toFixed(2)}x` : '-').padStart(9);
  const sec = (v: number, w: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)}s` : '-').padStart(w);
  console.log(
    `dotnet-client: ${seconds}s per run after a ${warmup}s warm-up, against ${host === undefined ? url : `a reference-host worker (IInteropService, binary session) through its listener at ${url}`}`,
  );
  console.log('each client in its own process, one after another, order alternating by cell');
  console.log(
    `${'shape'.padEnd(11)}${'lanes'.padStart(5)}${'calls'.padStart(6)}  ${'client'.padEnd(14)}${'sess/s'.padStart(8)}${'calls/s'.padStart(9)}${'p99 sess'.padStart(10)}${'p99 call'.padStart(10)}${'CPU/1k'.padStart(9)}${'fail'.padStart(6)}${'rate'.padStart(9)}${'CPU'.padStart(9)}`,
  );
  for (const r of rows) {
    const d = dotnetPooled(r);
    const persistent = r.shape === 'persistent';
    const rate = (o: Row) => (persistent ? o.callsPerSec : o.sessionsPerSec);
    console.log(
      `${r.shape.padEnd(11)}${String(r.lanes).padStart(5)}${(r.calls === null ? '-' : String(r.calls)).padStart(6)}  ${LABEL[r.client].padEnd(14)}${persistent ? '-'.padStart(8) : n(r.sessionsPerSec, 8)}${n(r.callsPerSec, 9)}${persistent ? '-'.padStart(10) : ms(r.p99SessionMs, 10)}${ms(r.p99CallMs, 10)}${sec(r.cpuPer1k, 9)}${String(r.failed).padStart(6)}${x(d === undefined || d === r ? Number.NaN : rate(r) / rate(d))}${x(d === undefined || d === r ? Number.NaN : r.cpuPer1k / d.cpuPer1k)}`,
    );
  }
  console.log(
    "CPU/1k: the client process's CPU seconds (user + system, /proc) per 1,000 sessions (churn) or 1,000 calls (persistent);",
  );
  console.log(
    'for a suite, the harness process (the host it starts is not counted, as for the other clients).',
  );
  console.log(
    'rate, CPU: the row over the pooled .NET client of its cell (sessions/s, or calls/s for persistent; CPU per 1,000).',
  );
  for (const r of rows.filter((x) => x.failed > 0))
    console.log(
      `failures, ${r.shape} ${r.lanes}x${r.calls ?? '-'} ${LABEL[r.client]}: ${JSON.stringify(r.failures)}`,
    );
}
