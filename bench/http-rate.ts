// bench/http-rate: requests per second of the HTTP engine (clients/http, driven as the harness will drive
// it: reply checks, the harness's LoadStats with its HdrHistograms, an op per request, a window a second)
// next to autocannon alone and a plain keep-alive client (node:http Agent), against one minimal SOAP
// echo server in its own process, in the same run; prints the ratios. Rounds alternate the clients so
// machine noise hits them alike. Not a test:
// `npm run bench:http-rate [-- --seconds 3 --rounds 3 --connections 16 --pipelining 1,10 --json]`.

import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type HttpOp, prepareRequest, startHttpLoad } from '../clients/http/index.ts';
import type { OpEvent, OpFailure } from '../harness/history/events.ts';
import { LoadStats } from '../harness/load/stats.ts';
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

  // The engine as the harness drives it.
  const engine = async (pipelining: number): Promise<number> => {
    const stats = new LoadStats('bench');
    let ops = 0;
    // Requests that completed within the model's duration (the drain's are not counted).
    let counting = true;
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
        failure: o.failure as OpFailure | undefined,
      };
      if (e.type === 'ok' && counting) ops++;
    };
    const windows = setInterval(() => stats.window(0, 1000), 1000);
    const start = performance.now();
    const load = await startHttpLoad(
      { url, soap, model: 'constant-sessions', connections, pipelining, duration: seconds * 1000 },
      {
        recorder: {
          started: () => stats.started(),
          dropped: () => stats.dropped(),
          call: (ok, ms) => stats.call(ok, ms),
          finished: (f, c, u) => stats.finished(f as OpFailure | undefined, c, u),
        },
        onOp,
      },
    );
    await load.done;
    counting = false;
    const elapsed = (performance.now() - start) / 1000;
    const totals = await load.stop(2000);
    clearInterval(windows);
    if (Object.keys(totals.failed).some((k) => k !== 'aborted'))
      throw new Error(`engine failures: ${JSON.stringify(totals.failed)}`);
    return ops / elapsed;
  };

  // autocannon alone, with the same pre-built request.
  const alone = async (pipelining: number): Promise<number> => {
    const r = await autocannon({
      url,
      connections,
      pipelining,
      duration: seconds,
      requests: [{ method: req.method, path: req.path, headers: req.headers, body: req.body }],
    });
    if (r.errors > 0 || r.non2xx > 0) throw new Error(`autocannon errors: ${r.errors}, non-2xx ${r.non2xx}`);
    return r.requests.total / r.duration;
  };

  // A plain keep-alive client: one request at a time per connection (node:http does not pipeline).
  const plain = async (): Promise<number> => {
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
    return rate;
  };

  // A warm-up of each client first (the server's JIT too), not counted.
  const full = seconds;
  seconds = 1;
  await engine(1);
  await alone(1);
  await plain();
  seconds = full;

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results: Record<string, { engine: number; autocannon: number; plain?: number }> = {};
  for (const p of pipelinings) {
    const runs: { engine: number[]; autocannon: number[]; plain: number[] } = {
      engine: [],
      autocannon: [],
      plain: [],
    };
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0
          ? (['engine', 'autocannon', 'plain'] as const)
          : (['plain', 'autocannon', 'engine'] as const);
      for (const who of order) {
        if (who === 'plain' && p !== 1) continue;
        runs[who].push(
          who === 'engine' ? await engine(p) : who === 'autocannon' ? await alone(p) : await plain(),
        );
      }
    }
    results[`c${connections}p${p}`] = {
      engine: median(runs.engine),
      autocannon: median(runs.autocannon),
      ...(p === 1 ? { plain: median(runs.plain) } : {}),
    };
  }
  child.stdin.end();

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ seconds, rounds, connections, results })}\n`);
    return;
  }
  console.log(
    `HTTP requests/s, ${connections} connections, ${seconds}s x ${rounds} rounds (median), SOAP 1.1 echo:`,
  );
  for (const [name, r] of Object.entries(results)) {
    const line = [
      `${name.padEnd(8)} engine ${r.engine.toFixed(0).padStart(7)}`,
      `autocannon ${r.autocannon.toFixed(0).padStart(7)}`,
      ...(r.plain === undefined ? [] : [`keep-alive ${r.plain.toFixed(0).padStart(7)}`]),
      `engine/autocannon ${(r.engine / r.autocannon).toFixed(2)}x`,
      ...(r.plain === undefined ? [] : [`engine/keep-alive ${(r.engine / r.plain).toFixed(2)}x`]),
    ];
    console.log(line.join('  '));
  }
}
