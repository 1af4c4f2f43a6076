// bench/http-rate: `client: http` through the harness (a suite's load through the LoadRunner, its History
// written to history.ndjson, a window a second), the HTTP engine alone as the harness drives it (reply
// checks, the harness's LoadStats with its HdrHistograms, an op per request, a window a second) next to
// autocannon alone and a plain keep-alive client (node:http Agent), against one minimal SOAP echo server in
// its own process, in the same run. Prints requests per second and requests per CPU second of this process (the client's
// own cost, which the rest of the machine's load moves less), and their ratios. Rounds rotate the clients'
// order so machine noise hits them alike. "engine alone" is the engine with no recorder and no ops: its own
// cost, without the harness's. Not a test:
// `npm run bench:http-rate [-- --seconds 3 --rounds 3 --connections 16 --pipelining 1,10 --json]`.

import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HttpOp, prepareRequest, startHttpLoad } from '../clients/http/index.ts';
import type { OpEvent } from '../model/history.ts';
import { HistoryWriter } from '../harness/history/writer.ts';
import { LoadRunner } from '../harness/load/runner.ts';
import { LoadStats } from '../harness/load/stats.ts';
import { loadSuiteText } from '../harness/suite/load.ts';
import { el, soapHttpReply, TEMPURI } from '../protocol/index.ts';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    pipelining: { type: 'string', default: '1,10' },
    json: { type: 'boolean', default: false },
  },
});

const TEXT = 'hello from the bench';
const REPLY = Buffer.from(
  soapHttpReply('1.1', {
    action: `${TEMPURI}IInteropService/EchoResponse`,
    body: el('EchoResponse', TEMPURI, [el('EchoResult', TEMPURI, [TEXT])], {
      declarations: [{ prefix: '', uri: TEMPURI }],
    }),
  }),
);

async function main(): Promise<void> {
  let seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const pipelinings = values.pipelining.split(',').map(Number);

  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  const { port } = JSON.parse(first) as { port: number };
  const url = `http://127.0.0.1:${port}/basic`;
  const soap = { version: '1.1', operation: 'Echo', params: { text: TEXT } } as const;
  const req = prepareRequest({ url, soap });

  // A client's rate (requests/s) and the CPU it spent per request (µs, this process: the client's own cost,
  // which machine noise hardly moves, where the rate moves with whatever else the cores run).
  type Run = { rate: number; cpuUs: number };
  const cpuSince = (c0: NodeJS.CpuUsage): number => {
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  };

  // The engine as the harness drives it.
  // `bare`: with no recorder and no op, the engine's own cost alone.
  const engine = async (pipelining: number, bare = false): Promise<Run> => {
    const c0 = process.cpuUsage();
    const stats = new LoadStats('bench');
    let built = 0;
    const onOp = (o: HttpOp): void => {
      // The op event the harness appends (writing it out is the history writer's cost, not the engine's).
      const e: OpEvent = {
        t: o.end,
        kind: 'op',
        type: o.type,
        load: 'bench',
        session: o.id,
        intended: o.intended,
        start: o.start,
        ms: o.ms,
        uncorrectedMs: o.uncorrectedMs,
        calls: 1,
        failure: o.failure,
      };
      if (e.type === 'ok') built++;
    };
    const windows = setInterval(() => stats.window(0, 1000), 1000);
    const start = performance.now();
    const load = await startHttpLoad(
      { url, soap, model: 'constant-sessions', connections, pipelining, duration: seconds * 1000 },
      bare
        ? {}
        : {
            recorder: {
              started: () => stats.started(),
              dropped: () => stats.dropped(),
              call: (ok, ms) => stats.call(ok, ms),
              finished: (f, c, u) => stats.finished(f, c, u),
            },
            onOp,
          },
    );
    await load.done;
    // Requests that completed within the model's duration (the drain's are not counted).
    const ops = load.totals.ok;
    const elapsed = (performance.now() - start) / 1000;
    const totals = await load.stop(2000);
    clearInterval(windows);
    if (!bare && built !== totals.ok) throw new Error('an op went missing');
    if (Object.keys(totals.failed).some((k) => k !== 'aborted'))
      throw new Error(`engine failures: ${JSON.stringify(totals.failed)}`);
    return { rate: ops / elapsed, cpuUs: cpuSince(c0) / totals.ok };
  };

  // `client: http` through the harness: the suite's load parsed from YAML, the LoadRunner handing it to the
  // http client, a History written to history.ndjson (one line per request), a LoadSample a second.
  const historyDir = await mkdtemp(join(tmpdir(), 'bench-http-rate-'));
  const harness = async (pipelining: number): Promise<Run> => {
    const c0 = process.cpuUsage();
    const text = `name: bench
target: { command: [x, "{httpPort}"], httpPort: auto }
load:
  - { name: bench, client: http, url: "${url}", model: constant-sessions, sessions: ${connections}, pipelining: ${pipelining}, duration: ${seconds * 1000}ms, soap: { version: "1.1", operation: Echo, params: { text: "${TEXT}" } } }
`;
    const parsed = loadSuiteText(text, 'bench.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const h = new HistoryWriter(
      {
        version: 2,
        suite: 'bench',
        file: 'bench.yaml',
        text,
        seed: 1,
        startedAt: new Date().toISOString(),
        tool: { name: 'bench', version: '0', node: process.version, platform: process.platform },
      },
      join(historyDir, 'history.ndjson'),
    );
    const runner = new LoadRunner({
      loads: parsed.loaded.suite.load,
      target: { host: '127.0.0.1', port: 1 },
      seed: 1,
      allowRemote: false,
      history: h,
    });
    const windows = setInterval(() => runner.emitWindows(), 1000);
    const start = performance.now();
    runner.start();
    await runner.done;
    const ok = runner.stats[0]!.totals.ok;
    const elapsed = (performance.now() - start) / 1000;
    await runner.stop(2000);
    clearInterval(windows);
    runner.emitWindows();
    await h.close();
    const totals = runner.stats[0]!.totals;
    if (totals.failed > 0) throw new Error(`harness failures: ${totals.failed}`);
    return { rate: ok / elapsed, cpuUs: cpuSince(c0) / totals.ok };
  };

  // autocannon alone, with the same pre-built request.
  const alone = async (pipelining: number): Promise<Run> => {
    const c0 = process.cpuUsage();
    const r = await autocannon({
      url,
      connections,
      pipelining,
      duration: seconds,
      requests: [{ method: req.method, path: req.path, headers: req.headers, body: req.body }],
    });
    if (r.errors > 0 || r.non2xx > 0) throw new Error(`autocannon errors: ${r.errors}, non-2xx ${r.non2xx}`);
    return { rate: r.requests.total / r.duration, cpuUs: cpuSince(c0) / r.requests.total };
  };

  // A plain keep-alive client: one request at a time per connection (node:http does not pipeline).
  const plain = async (): Promise<Run> => {
    const c0 = process.cpuUsage();
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    let done = 0;
    const start = performance.now();
    const until = start + seconds * 1000;
    const one = () =>
      new Promise<void>((resolve, reject) => {
        const r = request(
          {
            host: '127.0.0.1',
            port,
            method: req.method,
            path: req.path,
            headers: { ...req.headers, 'Content-Length': req.body.length },
            agent,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              res.statusCode === 200 && Buffer.concat(chunks).equals(REPLY)
                ? resolve()
                : reject(new Error(`bad reply ${res.statusCode}`)),
            );
          },
        );
        r.on('error', reject);
        r.end(req.body);
      });
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          await one();
          done++;
        }
      }),
    );
    const rate = done / ((performance.now() - start) / 1000);
    agent.destroy();
    return { rate, cpuUs: cpuSince(c0) / done };
  };

  // A warm-up of each client first (the server's JIT too), not counted.
  const full = seconds;
  seconds = 1;
  await engine(1);
  await engine(1, true);
  await harness(1);
  await alone(1);
  await plain();
  seconds = full;

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = (xs: Run[]): Run => ({
    rate: median(xs.map((x) => x.rate)),
    cpuUs: median(xs.map((x) => x.cpuUs)),
  });
  const results: Record<string, { harness: Run; engine: Run; bare: Run; autocannon: Run; plain?: Run }> = {};
  for (const p of pipelinings) {
    const runs: { harness: Run[]; engine: Run[]; bare: Run[]; autocannon: Run[]; plain: Run[] } = {
      harness: [],
      engine: [],
      bare: [],
      autocannon: [],
      plain: [],
    };
    for (let round = 0; round < rounds; round++) {
      // Each client takes each place in turn, so none always follows the same one.
      const clients = ['harness', 'engine', 'bare', 'autocannon', 'plain'] as const;
      const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
      for (const who of order) {
        if (who === 'plain' && p !== 1) continue;
        runs[who].push(
          who === 'harness'
            ? await harness(p)
            : who === 'engine'
              ? await engine(p)
              : who === 'bare'
                ? await engine(p, true)
                : who === 'autocannon'
                  ? await alone(p)
                  : await plain(),
        );
      }
    }
    results[`c${connections}p${p}`] = {
      harness: summary(runs.harness),
      engine: summary(runs.engine),
      bare: summary(runs.bare),
      autocannon: summary(runs.autocannon),
      ...(p === 1 ? { plain: summary(runs.plain) } : {}),
    };
  }
  child.stdin.end();
  await rm(historyDir, { recursive: true, force: true });

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ seconds, rounds, connections, results })}\n`);
    return;
  }
  console.log(
    `HTTP, ${connections} connections, SOAP 1.1 echo, ${seconds}s x ${rounds} rounds (medians): requests/s and client CPU µs per request`,
  );
  const show = (label: string, r: Run) =>
    `${label} ${r.rate.toFixed(0).padStart(6)}/s ${r.cpuUs.toFixed(1).padStart(5)}µs`;
  for (const [name, r] of Object.entries(results)) {
    console.log(
      [
        name.padEnd(7),
        show('harness', r.harness),
        show('engine', r.engine),
        show('engine alone', r.bare),
        show('autocannon', r.autocannon),
        ...(r.plain === undefined ? [] : [show('keep-alive', r.plain)]),
      ].join('  '),
    );
    console.log(
      [
        ''.padEnd(7),
        `harness/autocannon: rate ${(r.harness.rate / r.autocannon.rate).toFixed(2)}x, requests per CPU second ${(r.autocannon.cpuUs / r.harness.cpuUs).toFixed(2)}x`,
        `engine/autocannon: rate ${(r.engine.rate / r.autocannon.rate).toFixed(2)}x, requests per CPU second ${(r.autocannon.cpuUs / r.engine.cpuUs).toFixed(2)}x`,
        `engine alone/autocannon: rate ${(r.bare.rate / r.autocannon.rate).toFixed(2)}x, requests per CPU second ${(r.autocannon.cpuUs / r.bare.cpuUs).toFixed(2)}x`,
        ...(r.plain === undefined
          ? []
          : [
              `engine/keep-alive: rate ${(r.engine.rate / r.plain.rate).toFixed(2)}x, requests per CPU second ${(r.plain.cpuUs / r.engine.cpuUs).toFixed(2)}x`,
            ]),
      ].join('  '),
    );
  }
}

// The server process: answers every request with the same SOAP echo reply.
if (values.serve) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': REPLY.length })
        .end(REPLY),
    );
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  await main();
}
