// bench/client-rate: calls per second of the net.tcp client against a local echo endpoint, next to a
// raw-socket ping-pong of the same message sizes, in the same run; prints nettcp/raw ratios.
// Not a test: `npm run bench:client-rate [-- --seconds 2 --sizes 64,1024,16384 --concurrency 32]`.
// Rounds alternate between the two clients so machine noise hits both alike.

import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import hdr from 'hdr-histogram-js';
import { type NetTcpSession, openSession, resolveNetTcpUrl } from '../clients/nettcp/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '64,1024,16384' },
    concurrency: { type: 'string', default: '32' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const sizes = values.sizes.split(',').map(Number);
const concurrency = Number(values.concurrency);

type Result = { calls: number; ms: number; p99us: number };

// Runs `lanes` loops that each await one call after another until the time is up.
const drive = async (lanes: number, call: (lane: number) => Promise<boolean>): Promise<Result> => {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let calls = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        if (!(await call(lane))) throw new Error('a bench call failed');
        h.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        calls++;
      }
    }),
  );
  const ms = performance.now() - start;
  return { calls, ms, p99us: h.getValueAtPercentile(99) };
};

// Raw ping-pong: write `size` bytes, wait for `size` bytes back. One socket per lane, or one shared
// socket with every lane's message in flight (replies come back in order).
const rawClient = async (port: number, sockets: number) => {
  const conns: { s: Socket; waiting: { need: number; done: () => void }[]; got: number }[] = [];
  for (let i = 0; i < sockets; i++) {
    const s = connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((r) => s.once('connect', r));
    const c = { s, waiting: [] as { need: number; done: () => void }[], got: 0 };
    s.on('data', (chunk: Buffer) => {
      c.got += chunk.length;
      while (c.waiting.length > 0 && c.got >= c.waiting[0]!.need) {
        const w = c.waiting.shift()!;
        c.got -= w.need;
        w.done();
      }
    });
    conns.push(c);
  }
  return {
    call: (lane: number, payload: Buffer) =>
      new Promise<boolean>((resolve) => {
        const c = conns[lane % conns.length]!;
        c.waiting.push({ need: payload.length, done: () => resolve(true) });
        c.s.write(payload);
      }),
    close: () => {
      for (const c of conns) c.s.destroy();
    },
  };
};

const nettcpClient = async (port: number, sessions: number) => {
  const target = await resolveNetTcpUrl(`net.tcp://127.0.0.1:${port}/bench`);
  const open: NetTcpSession[] = [];
  for (let i = 0; i < sessions; i++) {
    const r = await openSession(target, { limits: { maxEnvelope: 1 << 20 } });
    if (!r.ok) throw new Error(`bench session failed to open: ${JSON.stringify(r.failure)}`);
    open.push(r.session);
  }
  return {
    call: async (lane: number, payload: Buffer) => (await open[lane % open.length]!.call(payload)).ok,
    close: async () => {
      await Promise.all(open.map((s) => s.end()));
    },
  };
};

const server = spawn(process.execPath, [fileURLToPath(new URL('./servers.ts', import.meta.url))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const ports: { nettcp: number; raw: number } = JSON.parse(
  await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve)),
);

type Row = {
  shape: string;
  size: number;
  nettcp: number;
  raw: number;
  ratio: number;
  nettcpP99us: number;
  rawP99us: number;
};
const rows: Row[] = [];
const shapes = [
  { shape: `1 session, ${concurrency} in flight`, connections: 1 },
  { shape: `${concurrency} sessions, 1 in flight each`, connections: concurrency },
];
try {
  for (const { shape, connections } of shapes) {
    for (const size of sizes) {
      const payload = Buffer.alloc(size, 0x5a);
      const n = await nettcpClient(ports.nettcp, connections);
      const r = await rawClient(ports.raw, connections);
      const tot = { nettcp: { calls: 0, ms: 0, p99: 0 }, raw: { calls: 0, ms: 0, p99: 0 } };
      for (let round = 0; round < rounds; round++) {
        const a = await drive(concurrency, (lane) => n.call(lane, payload));
        const b = await drive(concurrency, (lane) => r.call(lane, payload));
        tot.nettcp.calls += a.calls;
        tot.nettcp.ms += a.ms;
        tot.nettcp.p99 = Math.max(tot.nettcp.p99, a.p99us);
        tot.raw.calls += b.calls;
        tot.raw.ms += b.ms;
        tot.raw.p99 = Math.max(tot.raw.p99, b.p99us);
      }
      await n.close();
      r.close();
      const nettcp = (tot.nettcp.calls / tot.nettcp.ms) * 1000;
      const raw = (tot.raw.calls / tot.raw.ms) * 1000;
      rows.push({
        shape,
        size,
        nettcp,
        raw,
        ratio: nettcp / raw,
        nettcpP99us: tot.nettcp.p99,
        rawP99us: tot.raw.p99,
      });
    }
  }
} finally {
  server.stdin.end();
}

if (values.json) {
  process.stdout.write(`${JSON.stringify({ seconds, rounds, concurrency, rows })}\n`);
} else {
  const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
  console.log(
    `client-rate: ${rounds} alternating rounds of ${seconds}s per cell, echo server in its own process`,
  );
  console.log(
    `${'shape'.padEnd(34)} ${'bytes'.padStart(6)} ${'nettcp/s'.padStart(9)} ${'raw/s'.padStart(9)}  ratio  p99 nettcp/raw`,
  );
  for (const r of rows) {
    console.log(
      `${r.shape.padEnd(34)} ${String(r.size).padStart(6)} ${f(r.nettcp)} ${f(r.raw)}  ${r.ratio.toFixed(2)}   ${(r.nettcpP99us / 1000).toFixed(2)}ms/${(r.rawP99us / 1000).toFixed(2)}ms`,
    );
  }
}
