import type { Socket } from 'node:net';
import t from 'tap';
import {
  type HttpLoadSpec,
  type HttpOp,
  type HttpTotals,
  startHttpLoad,
} from '../../../clients/http/index.ts';
import { rampArrivals } from '../../../model/arrivals.ts';
import { freePort } from '../../interop/programs.ts';
import { harnessRecorder } from './harness-recorder.ts';
import { answer, echoReply, faultReply, httpServer, tcpServer } from './servers.ts';

const ECHO = { version: '1.1', operation: 'Echo', params: { text: 'hello' } } as const;

// Runs a load to the end of its model, then stops it with a drain; every op it reported.
const run = async (
  spec: HttpLoadSpec,
  drainMs = 5000,
): Promise<{ totals: HttpTotals; ops: HttpOp[]; rec: ReturnType<typeof harnessRecorder> }> => {
  const ops: HttpOp[] = [];
  const rec = harnessRecorder();
  const load = await startHttpLoad(spec, { recorder: rec.recorder, onOp: (o) => ops.push(o) });
  await load.done;
  const totals = await load.stop(drainMs);
  return { totals, ops, rec };
};

t.test(
  'a closed load keeps N connections with P requests each in flight, and reports windows as net.tcp',
  async (t) => {
    const srv = await httpServer(answer(200, echoReply('1.1', 'hello'), 5));
    t.teardown(srv.close);
    const { totals, ops, rec } = await run({
      url: srv.url,
      soap: ECHO,
      model: 'constant-sessions',
      connections: 2,
      pipelining: 4,
      duration: 400,
    });
    t.ok(totals.started > 8, 'requests went');
    t.same(totals.failed, {});
    t.equal(totals.ok, totals.started);
    t.equal(srv.requests, totals.started, 'the server saw each request once');
    t.ok(
      srv.maxPerConnection > 1 && srv.maxPerConnection <= 4,
      `pipelined (${srv.maxPerConnection} at once)`,
    );
    t.ok(
      ops.every((o) => o.type === 'ok' && o.status === 200 && o.ms === o.uncorrectedMs),
      'a closed model measures from the actual start',
    );
    const w = rec.stats.window(1, 1);
    t.match(w, {
      kind: 'sample',
      source: 'load',
      started: totals.started,
      ok: totals.ok,
      failed: {},
      active: 0,
      dropped: 0,
    });
    t.equal(w.latency.corrected.count, totals.ok);
    t.equal(w.latency.uncorrected.count, totals.ok);
    t.same(w.calls, { ok: totals.ok, failed: 0 });
    t.ok(w.latency.corrected.p50 >= 5, 'the latency includes the server delay');
  },
);

t.test('a constant arrival rate starts rate × duration requests, each at its intended time', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello')));
  t.teardown(srv.close);
  const { totals, ops } = await run({
    url: srv.url,
    soap: ECHO,
    model: 'constant-arrival-rate',
    rate: 100,
    duration: 1000,
    connections: 4,
  });
  t.equal(totals.started, 100);
  t.equal(totals.ok, 100);
  t.equal(totals.dropped, 0);
  const intended = ops.map((o) => o.intended).sort((a, b) => a - b);
  t.ok(
    intended.every((x, i) => Math.abs(x - intended[0]! - i * 10) < 1e-6),
    'arrivals are 10 ms apart, not bursts',
  );
  t.ok(ops.every((o) => o.start >= o.intended && o.ms >= o.uncorrectedMs));
});

t.test('a ramping rate starts as many requests as its schedule has arrivals', async (t) => {
  const srv = await httpServer(answer(200, 'ok'));
  t.teardown(srv.close);
  const stages = [
    { target: 90, duration: 1000 },
    { target: 0, duration: 500 },
  ];
  const expected = [...rampArrivals(10, stages)].length;
  const { totals } = await run({
    url: srv.url,
    request: { path: '/health' },
    model: 'ramping-arrival-rate',
    startRate: 10,
    stages,
  });
  t.equal(totals.started, expected);
  t.equal(totals.ok, expected);
});

t.test(
  'an open load counts the wait for a busy connection as latency, from the intended start',
  async (t) => {
    const srv = await httpServer(answer(200, echoReply('1.1', 'hello'), 200));
    t.teardown(srv.close);
    const { totals, ops } = await run({
      url: srv.url,
      soap: ECHO,
      model: 'constant-arrival-rate',
      rate: 20,
      duration: 200,
      connections: 1,
    });
    t.equal(totals.ok, 4);
    const waited = Math.max(...ops.map((o) => o.ms - o.uncorrectedMs));
    t.ok(waited >= 140, `the second request waited for the first (${waited.toFixed(0)} ms)`);
    t.ok(
      ops.every((o) => o.uncorrectedMs >= 195),
      'each took the server its delay',
    );
  },
);

t.test('arrivals beyond maxInFlight are dropped, not queued', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'hello'), 300));
  t.teardown(srv.close);
  const { totals, rec } = await run({
    url: srv.url,
    soap: ECHO,
    model: 'constant-arrival-rate',
    rate: 100,
    duration: 200,
    connections: 1,
    maxInFlight: 3,
  });
  t.match(totals, { started: 3, ok: 3, dropped: 17, failed: {} });
  t.match(rec.stats.window(1, 1), { started: 3, dropped: 17, ok: 3 });
});

const kinds = (totals: HttpTotals) => Object.keys(totals.failed).filter((k) => k !== 'aborted');

t.test(
  'replies are judged: a status outside 2xx, a SOAP fault, a wrong echo, a body that is no envelope',
  async (t) => {
    const cases = [
      { name: '503', reply: answer(503, 'busy'), soap: ECHO, kind: 'http-status', failure: { code: '503' } },
      {
        name: 'SOAP 1.1 fault',
        reply: answer(500, faultReply('1.1', 'boom')),
        soap: ECHO,
        kind: 'reply-fault',
        failure: { fault: 'Client', message: 'boom' },
      },
      {
        name: 'SOAP 1.2 fault',
        reply: answer(500, faultReply('1.2', 'bang')),
        soap: { ...ECHO, version: '1.2' as const },
        kind: 'reply-fault',
        failure: { fault: 'Sender', message: 'bang' },
      },
      {
        name: 'wrong echo',
        reply: answer(200, echoReply('1.1', 'hellO')),
        soap: ECHO,
        kind: 'corrupt',
        failure: { message: /expected the result "hello", got "hellO"/ },
      },
      {
        name: 'a reply to another message',
        reply: answer(200, echoReply('1.2', 'hello', 'urn:uuid:other')),
        soap: { ...ECHO, version: '1.2' as const, messageId: 'urn:uuid:mine' },
        kind: 'corrupt',
        failure: { message: /relates to urn:uuid:other/ },
      },
      {
        name: 'not XML',
        reply: answer(200, 'plain text'),
        soap: ECHO,
        kind: 'protocol',
        failure: { code: 'SOAP_XML' },
      },
    ];
    for (const c of cases) {
      const srv = await httpServer(c.reply);
      const { totals, ops } = await run({
        url: srv.url,
        soap: c.soap,
        model: 'constant-sessions',
        connections: 1,
        duration: 150,
      });
      await srv.close();
      t.ok(totals.started > 0, `${c.name}: requests went`);
      t.equal(totals.ok, 0, `${c.name}: none ok`);
      t.same(Object.keys(totals.failed), [c.kind], `${c.name}: every one ${c.kind}`);
      t.match(ops[0], { type: 'fail', failure: { kind: c.kind, stage: 'call', ...c.failure } }, c.name);
    }
  },
);

t.test('a reply with Connection: close moves the next request to a new connection; none fails', async (t) => {
  const body = echoReply('1.1', 'hello');
  const sockets = new Set<Socket>();
  let n = 0;
  const srv = await httpServer((req, _b, res) => {
    sockets.add(req.socket);
    // Every third reply closes its connection, as a draining server does.
    const close = ++n % 3 === 0;
    res.writeHead(200, {
      'Content-Type': 'text/xml; charset=utf-8',
      ...(close ? { Connection: 'close' } : {}),
    });
    res.end(body);
  });
  t.teardown(srv.close);
  const { totals } = await run({
    url: srv.url,
    soap: ECHO,
    model: 'constant-sessions',
    connections: 1,
    duration: 300,
  });
  t.ok(totals.ok > 6, `${totals.ok} ok`);
  t.same(totals.failed, {});
  t.ok(sockets.size >= Math.floor(totals.ok / 3), `${sockets.size} connections for ${totals.ok} requests`);
});

t.test('a reply whose UTF-8 characters straddle two reads still matches its echo', async (t) => {
  const text = 'é'.repeat(50);
  const body = echoReply('1.1', text);
  const cut = body.indexOf(Buffer.from('é')) + 1;
  const srv = await httpServer((_req, _b, res) => {
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': body.length });
    res.write(body.subarray(0, cut));
    setTimeout(() => res.end(body.subarray(cut)), 10);
  });
  t.teardown(srv.close);
  const { totals } = await run({
    url: srv.url,
    soap: { ...ECHO, params: { text } },
    model: 'constant-sessions',
    connections: 1,
    duration: 100,
  });
  t.ok(totals.ok > 0);
  t.same(totals.failed, {});
});

t.test('a broken connection fails each request it had in flight, by what broke it', async (t) => {
  const cases = [
    {
      name: 'reset',
      kind: 'reset',
      on: (s: Socket) => s.once('data', () => s.resetAndDestroy()),
    },
    { name: 'closed', kind: 'closed', on: (s: Socket) => s.once('data', () => s.end()) },
    {
      name: 'not HTTP',
      kind: 'protocol',
      on: (s: Socket) => s.once('data', () => s.write('SSH-2.0-OpenSSH\r\n\r\n')),
    },
  ];
  for (const c of cases) {
    const srv = await tcpServer(c.on);
    const { totals, ops } = await run(
      { url: srv.url, soap: ECHO, model: 'constant-sessions', connections: 1, pipelining: 2, duration: 150 },
      500,
    );
    await srv.close();
    t.ok(totals.started > 0, `${c.name}: requests went`);
    t.equal(totals.ok, 0, `${c.name}: none ok`);
    t.same(kinds(totals), [c.kind], `${c.name}: ${JSON.stringify(totals.failed)}`);
    t.ok(ops.filter((o) => o.type === 'fail').every((o) => o.failure?.stage === 'call'));
  }
  const port = await freePort();
  const refused = await run(
    {
      url: `http://127.0.0.1:${port}/`,
      soap: ECHO,
      model: 'constant-sessions',
      connections: 1,
      duration: 100,
    },
    500,
  );
  t.same(kinds(refused.totals), ['refused'], 'nothing listens: refused');
  t.match(refused.ops[0], { failure: { kind: 'refused', stage: 'connect' } });
});

t.test(
  'a listener that is down is dialled again after a pause that grows, not in a tight loop',
  async (t) => {
    const port = await freePort();
    const { totals } = await run(
      {
        url: `http://127.0.0.1:${port}/`,
        soap: ECHO,
        model: 'constant-sessions',
        connections: 2,
        duration: 1000,
      },
      500,
    );
    // Pauses of 10, 20, 40, ... up to 250 ms: about 8 attempts a connection in a second (a loop with no
    // pause makes thousands).
    const refused = totals.failed['refused'] ?? 0;
    t.ok(refused >= 2 && refused <= 2 * 15, `${refused} refused connects`);
    t.same(kinds(totals), ['refused']);
  },
);

t.test('a server that never answers times the requests out after the timeout', async (t) => {
  const srv = await tcpServer(() => {});
  t.teardown(srv.close);
  const started = performance.now();
  const { totals, ops } = await run(
    { url: srv.url, soap: ECHO, model: 'constant-sessions', connections: 1, duration: 1300, timeoutMs: 1000 },
    0,
  );
  t.ok(totals.failed['timeout']! >= 1, JSON.stringify(totals.failed));
  t.equal(totals.ok, 0);
  const first = ops.find((o) => o.failure?.kind === 'timeout')!;
  t.ok(first.end - started >= 1000, 'not before the timeout');
});

t.test(
  'stop cuts what is still in flight after the drain: aborted, op type info, nothing active',
  async (t) => {
    const srv = await httpServer(() => {});
    t.teardown(srv.close);
    const rec = harnessRecorder();
    const ops: HttpOp[] = [];
    const load = await startHttpLoad(
      { url: srv.url, soap: ECHO, model: 'constant-sessions', connections: 2, pipelining: 2, duration: 100 },
      { recorder: rec.recorder, onOp: (o) => ops.push(o) },
    );
    await load.done;
    t.equal(load.active, 4);
    const totals = await load.stop(150);
    t.match(totals, { started: 4, ok: 0, cut: 4, failed: { aborted: 4 } });
    t.equal(load.active, 0);
    t.ok(ops.every((o) => o.type === 'info' && o.failure?.kind === 'aborted'));
    t.match(rec.stats.window(1, 1), { started: 4, active: 0, failed: { aborted: 4 } });
    t.equal(await load.stop(0), totals, 'stopping again changes nothing');
  },
);

t.test('a host off loopback is refused before any traffic', async (t) => {
  await t.rejects(
    startHttpLoad({
      url: 'http://192.0.2.1/',
      soap: ECHO,
      model: 'constant-sessions',
      connections: 1,
      duration: 100,
    }),
    { code: 'CLIENT_REMOTE_TARGET' },
  );
});
