// client: http through the LoadRunner, with real sockets: each load model, relative urls on the target's
// HTTP port, windows and ops as for net.tcp, the listener probe, and a stop that cuts a drain short.

import t from 'tap';
import { HistoryWriter } from '../../../../harness/history/writer.ts';
import { httpClient } from '../../../../harness/load/clients/http.ts';
import { LoadRunner } from '../../../../harness/load/runner.ts';
import { loadSuiteText } from '../../../../harness/suite/load.ts';
import type { LoadSpec } from '../../../../harness/suite/schema.ts';
import type { LoadSample, OpEvent } from '../../../../model/history.ts';
import { rampArrivals } from '../../../../model/arrivals.ts';
import { answer, echoReply, httpServer } from '../../../clients/http/servers.ts';

// Loads as a suite gives them (defaults filled in by the schema).
const loadsOf = (yaml: string): LoadSpec[] => {
  const r = loadSuiteText(
    `name: t\ntarget: { command: [x, "{httpPort}"], httpPort: auto }\nload:\n${yaml}`,
    't.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite.load;
};

const history = () =>
  new HistoryWriter({
    version: 1,
    suite: 't',
    file: 't.yaml',
    text: '',
    seed: 1,
    startedAt: new Date().toISOString(),
    tool: { name: 'test', version: '0', node: process.version, platform: process.platform },
  });

const ECHO = 'soap: { version: "1.1", operation: Echo, params: { text: hello } }';

// Runs the loads to the end of their models with a window every 200 ms, then stops with a drain.
const runLoads = async (yaml: string, httpPort: number, drainMs = 3000) => {
  const h = history();
  // Every op, ok ones too (the History keeps only the others in memory).
  const ops: OpEvent[] = [];
  h.subscribe((e) => {
    if (e.kind === 'op') ops.push(e);
  });
  const r = new LoadRunner({
    loads: loadsOf(yaml),
    target: { host: '127.0.0.1', port: 1, httpPort },
    seed: 1,
    allowRemote: false,
    history: h,
  });
  r.start();
  const tick = setInterval(() => r.emitWindows(), 200);
  await r.done;
  await r.stop(drainMs);
  clearInterval(tick);
  r.emitWindows();
  const samples = h.history.events.filter((e): e is LoadSample => e.kind === 'sample');
  const sum = (load: string, f: (s: LoadSample) => number) =>
    samples.filter((s) => s.load === load).reduce((n, s) => n + f(s), 0);
  return { r, samples, ops, sum };
};

const portOf = (url: string): number => Number(new URL(url).port);

t.test(
  'constant-sessions: N connections, each with P requests in flight, recorded as net.tcp loads are',
  async (t) => {
    const srv = await httpServer(answer(200, echoReply('1.1', 'hello'), 5));
    t.teardown(srv.close);
    const { r, ops, sum } = await runLoads(
      `  - { name: c, client: http, url: /svc, model: constant-sessions, sessions: 2, pipelining: 3, duration: 500ms, ${ECHO} }`,
      portOf(srv.url),
    );
    const ok = sum('c', (s) => s.ok);
    t.ok(ok > 6, `${ok} requests ok`);
    t.equal(
      sum('c', (s) => s.started),
      ok,
      'every request started completed ok',
    );
    t.equal(
      sum('c', (s) => s.calls.ok),
      ok,
      'one call per request',
    );
    t.same(r.stats[0]!.totals, { started: ok, ok, failed: 0, dropped: 0 });
    t.equal(srv.requests, ok);
    t.equal(srv.maxPerConnection, 3, 'pipelined three deep on a connection');
    t.equal(ops.length, ok);
    // Closed: intended = actual start; every op one call.
    t.ok(ops.every((o) => o.type === 'ok' && o.load === 'c' && o.calls === 1 && o.intended === o.start));
    t.equal(r.active, 0);
  },
);

t.test(
  'constant-arrival-rate: rate x duration requests, on schedule, latency from the intended start',
  async (t) => {
    const srv = await httpServer(answer(200, echoReply('1.1', 'hello')));
    t.teardown(srv.close);
    const { ops, sum } = await runLoads(
      `  - { name: a, client: http, url: /svc, model: constant-arrival-rate, rate: 40, duration: 1s, ${ECHO} }`,
      portOf(srv.url),
    );
    t.equal(
      sum('a', (s) => s.ok),
      40,
    );
    t.equal(ops.length, 40);
    const intended = ops.map((o) => o.intended).sort((a, b) => a - b);
    const gaps = intended.slice(1).map((x, i) => x - intended[i]!);
    t.ok(
      gaps.every((g) => Math.abs(g - 25) < 1e-6),
      'intended starts are 25 ms apart exactly',
    );
    t.ok(ops.every((o) => o.ms >= o.uncorrectedMs && o.start >= o.intended));
  },
);

t.test('ramping-arrival-rate: as many requests as the ramp has arrivals', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello')));
  t.teardown(srv.close);
  const { ops, sum } = await runLoads(
    `  - { name: r, client: http, url: /svc, model: ramping-arrival-rate, startRate: 10, stages: [{ target: 50, duration: 1s }], ${ECHO} }`,
    portOf(srv.url),
  );
  const expected = [...rampArrivals(10, [{ target: 50, duration: 1000 }])].length;
  t.equal(
    sum('r', (s) => s.ok),
    expected,
  );
  t.equal(ops.length, expected);
});

t.test('an open load drops arrivals beyond maxSessions and cuts off what is in flight at stop', async (t) => {
  // Answers after 5 s: nothing completes before the stop.
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello'), 5000));
  t.teardown(srv.close);
  const { r, ops, sum } = await runLoads(
    `  - { name: s, client: http, url: /svc, model: constant-arrival-rate, rate: 100, duration: 500ms, maxSessions: 4, ${ECHO} }`,
    portOf(srv.url),
    100,
  );
  t.equal(
    sum('s', (s) => s.started),
    4,
  );
  t.ok(sum('s', (s) => s.dropped) >= 40, `${sum('s', (s) => s.dropped)} dropped`);
  t.equal(ops.length, 4);
  t.ok(
    ops.every((o) => o.type === 'info' && o.failure?.kind === 'aborted'),
    'cut off: info',
  );
  t.equal(r.active, 0);
});

t.test(
  'a load without a url goes to the root of the target HTTP address, with its plain request',
  async (t) => {
    const paths: string[] = [];
    const srv = await httpServer((req, body, res) => {
      paths.push(`${req.method} ${req.url} ${body.toString()}`);
      res.writeHead(200).end('pong');
    });
    t.teardown(srv.close);
    const { sum } = await runLoads(
      '  - { name: p, client: http, model: constant-arrival-rate, rate: 20, duration: 250ms, payload: 8, request: { method: PUT, path: /ping, body: "x{payload}", expectBody: pong } }',
      portOf(srv.url),
    );
    t.equal(
      sum('p', (s) => s.ok),
      5,
    );
    t.equal(paths.length, 5);
    t.match(paths[0], /^PUT \/ping x[\w-]{8}$/, 'the path and the seeded payload');
    t.ok(
      paths.every((p) => p === paths[0]),
      'the same request each time',
    );
  },
);

t.test('a load that starts later waits for its startAt; stop before then starts nothing', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello')));
  t.teardown(srv.close);
  const h = history();
  const r = new LoadRunner({
    // Ten minutes on: were the stop to wait for the start, the test would time out.
    loads: loadsOf(
      `  - { name: late, client: http, url: /svc, startAt: 10m, model: constant-arrival-rate, rate: 10, duration: 1s, ${ECHO} }`,
    ),
    target: { host: '127.0.0.1', port: 1, httpPort: portOf(srv.url) },
    seed: 1,
    allowRemote: false,
    history: h,
  });
  r.start();
  await new Promise((res) => setTimeout(res, 200));
  await r.stop(1000);
  await r.done;
  t.equal(srv.requests, 0);
  t.equal(r.stats[0]!.totals.started, 0);
});

t.test('the HTTP probe sends what the load on its url sends, on a fresh connection', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello')));
  t.teardown(srv.close);
  const loads = loadsOf(
    `  - { name: c, client: http, url: /svc, model: constant-sessions, sessions: 1, duration: 1s, ${ECHO} }`,
  );
  const env = {
    target: { host: '127.0.0.1', port: 1, httpPort: portOf(srv.url) },
    calls: 0,
    allowRemote: false,
    loads,
  };
  const probe = httpClient.prober('/svc', env);
  t.equal(probe.listener, srv.url);
  t.match(await probe.once(1000), { ok: true });
  // A wrong echo is a failed probe: the listener answered, but not rightly.
  const other = httpClient.prober('/svc', {
    ...env,
    loads: loadsOf(
      '  - { name: c, client: http, url: /svc, model: constant-sessions, sessions: 1, duration: 1s, soap: { operation: Echo, params: { text: other } } }',
    ),
  });
  t.match(await other.once(1000), { ok: false, failure: { kind: 'corrupt', stage: 'call' } });
  t.equal(srv.requests, 2);
});
