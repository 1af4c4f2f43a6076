// bench/dotnet-client: the project's own net.tcp client next to the real .NET WCF client
// (interop/client, `InteropClient load`), side by side in one run against the same SOAP service: session
// churn (open, N Echo calls, close) over 1, 16 and 64 lanes with N = 1 and 10, and persistent sessions
// (one per lane, calls back to back). Reports sessions/s, calls/s, p99s and each client's own CPU time
// per 1,000 sessions (per 1,000 calls for persistent sessions), with .NET/ours ratios; the .NET client
// pooled (its default) and unpooled (MaxOutboundConnectionsPerEndpoint = 0).
// Not a test: `npm run bench:dotnet-client [-- --seconds 2 --warmup 1 --lanes 1,16,64 --calls 1,10
//   --shapes churn,persistent --clients ours,pooled,unpooled --target net.tcp://HOST:PORT/PATH --json]`.
// Without --target it starts the SOAP stand-in (test/fixtures/programs/soap-service.ts) as its own process
// on loopback. Each client runs in a process of its own (ours: bench/nettcp-load.ts), one after another,
// in an order that alternates from cell to cell, so that noise on the shared machine hits them alike.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    lanes: { type: 'string', default: '1,16,64' },
    calls: { type: 'string', default: '1,10' },
    shapes: { type: 'string', default: 'churn,persistent' },
    clients: { type: 'string', default: 'ours,pooled,unpooled' },
    target: { type: 'string' },
    via: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').filter((x) => x !== '');
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const laneCounts = list(values.lanes).map(Number);
const callCounts = list(values.calls).map(Number);
const shapes = list(values.shapes);
const clients = list(values.clients) as ClientName[];
const usage = (why: string): never => {
  process.stderr.write(`bench/dotnet-client: ${why}\n`);
  process.exit(2);
};
if (!(seconds > 0) || !(warmup >= 0)) usage('--seconds must be > 0 and --warmup >= 0');
if (![...laneCounts, ...callCounts].every((n) => Number.isInteger(n) && n > 0))
  usage('--lanes and --calls take positive integers');
if (!shapes.every((s) => s === 'churn' || s === 'persistent')) usage('--shapes: churn and/or persistent');
if (!clients.every((c) => c === 'ours' || c === 'pooled' || c === 'unpooled'))
  usage('--clients: ours, pooled and/or unpooled');

const DOTNET_CLIENT = fileURLToPath(
  new URL('../interop/client/bin/Release/net10.0/InteropClient.dll', import.meta.url),
);
const OUR_CLIENT = fileURLToPath(new URL('./nettcp-load.ts', import.meta.url));
const STAND_IN = fileURLToPath(new URL('../test/fixtures/programs/soap-service.ts', import.meta.url));
if (clients.some((c) => c !== 'ours') && !existsSync(DOTNET_CLIENT)) {
  process.stderr.write(`bench/dotnet-client: ${DOTNET_CLIENT} is not built (run: bash interop/build.sh)\n`);
  process.exit(1);
}

type ClientName = 'ours' | 'pooled' | 'unpooled';
const LABEL: Record<ClientName, string> = { ours: 'ours', pooled: '.NET pooled', unpooled: '.NET unpooled' };

// What both load drivers print as their last line (the fields the table uses).
type Summary = {
  sessions: { ok: number; failed: number; byType: Record<string, number> };
  calls: { ok: number; failed: number };
  wallMs: number;
  sessionsPerSec: number;
  callsPerSec: number;
  sessionMs: { p99: number };
  callMs: { p99: number };
  cpuMs: number;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

// Starts the stand-in on a free loopback port; it exits when our end of its stdin closes.
const startStandIn = async (): Promise<{ url: string; child: ChildProcess }> => {
  const port = await freePort();
  const child = spawn(process.execPath, [STAND_IN, String(port), '--exit-with-stdin'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the SOAP stand-in printed no READY line in 20 s')),
      20000,
    );
    child.once('exit', (code) => reject(new Error(`the SOAP stand-in exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (!l.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return { url: `net.tcp://127.0.0.1:${port}/echo`, child };
};

// Runs one load driver to its summary line; killed by pid if it overruns its run by a minute.
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
      resolve(JSON.parse(last) as Summary);
    });
  });

const runClient = (name: ClientName, url: string, lanes: number, calls: number | null): Promise<Summary> => {
  const shape = [
    '--lanes',
    String(lanes),
    '--duration-ms',
    String(Math.round(seconds * 1000)),
    '--warmup-ms',
    String(Math.round(warmup * 1000)),
    ...(calls === null ? ['--persistent'] : ['--calls', String(calls)]),
    ...(values.via === undefined ? [] : ['--via', values.via]),
  ];
  if (name === 'ours') return runDriver(process.execPath, [OUR_CLIENT, url, ...shape]);
  return runDriver('dotnet', [
    DOTNET_CLIENT,
    'load',
    url,
    ...shape,
    '--summary',
    name === 'pooled' ? '--pooled' : '--unpooled',
  ]);
};

type Row = {
  shape: 'churn' | 'persistent';
  lanes: number;
  calls: number | null;
  client: ClientName;
  sessionsPerSec: number;
  callsPerSec: number;
  p99SessionMs: number;
  p99CallMs: number;
  // Client CPU ms per 1,000 sessions (churn) or per 1,000 calls (persistent).
  cpuPer1k: number;
  failed: number;
  failures: Record<string, number>;
};

const cells: { shape: 'churn' | 'persistent'; lanes: number; calls: number | null; clients: ClientName[] }[] =
  [];
for (const shape of shapes)
  for (const lanes of laneCounts)
    for (const calls of shape === 'churn' ? callCounts : [null])
      // Pooling does not apply to a session that stays open: persistent cells run the .NET client once.
      cells.push({
        shape: shape as 'churn' | 'persistent',
        lanes,
        calls,
        clients: shape === 'churn' ? clients : clients.filter((c) => c !== 'unpooled'),
      });

const standIn = values.target === undefined ? await startStandIn() : undefined;
const url = values.target ?? standIn!.url;
const rows: Row[] = [];
try {
  for (const [i, cell] of cells.entries()) {
    const order = i % 2 === 0 ? cell.clients : [...cell.clients].reverse();
    for (const client of order) {
      const s = await runClient(client, url, cell.lanes, cell.calls);
      const per = cell.shape === 'churn' ? s.sessions.ok : s.calls.ok;
      rows.push({
        shape: cell.shape,
        lanes: cell.lanes,
        calls: cell.calls,
        client,
        sessionsPerSec: s.sessionsPerSec,
        callsPerSec: s.callsPerSec,
        p99SessionMs: s.sessionMs.p99,
        p99CallMs: s.callMs.p99,
        cpuPer1k: per === 0 ? Number.NaN : (s.cpuMs / per) * 1000,
        failed: s.sessions.failed,
        failures: s.sessions.byType,
      });
    }
  }
} finally {
  standIn?.child.stdin!.end();
}

const ours = (r: Row) =>
  rows.find((o) => o.client === 'ours' && o.shape === r.shape && o.lanes === r.lanes && o.calls === r.calls);

if (values.json) {
  process.stdout.write(`${JSON.stringify({ seconds, warmup, service: url, rows })}\n`);
} else {
  const n = (v: number, w: number) =>
    (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-').padStart(w);
  const ms = (v: number, w: number) => (Number.isFinite(v) && v > 0 ? `${v.toFixed(1)}ms` : '-').padStart(w);
  const x = (v: number) => (Number.isFinite(v) && v > 0 ? `${v.toFixed(2)}x` : '-').padStart(8);
  const sec = (v: number, w: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(2)}s` : '-').padStart(w);
  console.log(
    `dotnet-client: ${seconds}s per run after a ${warmup}s warm-up, against ${standIn === undefined ? url : `the SOAP stand-in (node, its own process) at ${url}`}`,
  );
  console.log('each client in its own process, one after another, order alternating by cell');
  console.log(
    `${'shape'.padEnd(11)}${'lanes'.padStart(5)}${'calls'.padStart(6)}  ${'client'.padEnd(14)}${'sess/s'.padStart(8)}${'calls/s'.padStart(9)}${'p99 sess'.padStart(10)}${'p99 call'.padStart(10)}${'CPU/1k'.padStart(9)}${'fail'.padStart(6)}${'x rate'.padStart(8)}${'x CPU'.padStart(8)}`,
  );
  for (const r of rows) {
    const o = ours(r);
    const vs = (a: number, b: number | undefined) =>
      r.client === 'ours' || b === undefined ? Number.NaN : a / b;
    const persistent = r.shape === 'persistent';
    console.log(
      `${r.shape.padEnd(11)}${String(r.lanes).padStart(5)}${(r.calls === null ? '-' : String(r.calls)).padStart(6)}  ${LABEL[r.client].padEnd(14)}${persistent ? '-'.padStart(8) : n(r.sessionsPerSec, 8)}${n(r.callsPerSec, 9)}${persistent ? '-'.padStart(10) : ms(r.p99SessionMs, 10)}${ms(r.p99CallMs, 10)}${sec(r.cpuPer1k, 9)}${String(r.failed).padStart(6)}${x(vs(persistent ? r.callsPerSec : r.sessionsPerSec, persistent ? o?.callsPerSec : o?.sessionsPerSec))}${x(vs(r.cpuPer1k, o?.cpuPer1k))}`,
    );
  }
  console.log(
    "CPU/1k: the client process's CPU seconds (user + system) per 1,000 sessions (churn) or 1,000 calls (persistent);",
  );
  console.log('x rate, x CPU: .NET / ours (sessions/s, or calls/s for persistent; CPU per 1,000).');
  if (standIn !== undefined)
    console.log(
      "the stand-in closes a connection after End: the pooled .NET client's reuse fails and it reconnects, every session.",
    );
  const failures = rows.filter((r) => r.failed > 0);
  for (const r of failures)
    console.log(
      `failures, ${r.shape} ${r.lanes}x${r.calls ?? '-'} ${LABEL[r.client]}: ${JSON.stringify(r.failures)}`,
    );
}
