import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import t from 'tap';
import { serveGenerator } from '../../../harness/load/generator.ts';
import {
  decodeFromGenerator,
  encodeMessage,
  type FromGenerator,
  type ToGenerator,
} from '../../../harness/load/generator-protocol.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';
import type { LoadSpec } from '../../../harness/suite/schema.ts';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';

// The load target of a loopback URL's port (relative vias resolve against it).
const loopbackTarget = (url: string) => ({ host: '127.0.0.1', port: Number(new URL(url).port) });

const loadsOf = (yaml: string): LoadSpec[] => {
  const r = loadSuiteText(
    `name: t\ntarget: { command: [x, "{port}"], port: auto }\nload:\n${yaml}`,
    't.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite.load;
};

// The harness's side of a generator: messages in, a way to wait for the next one of a type.
const harnessSide = (from: Readable, to: Writable) => {
  const got: FromGenerator[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: from }).on('line', (l) => {
    const m = decodeFromGenerator(l);
    if (m !== undefined) got.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const next = async <T extends FromGenerator['type']>(
    type: T,
  ): Promise<Extract<FromGenerator, { type: T }>> => {
    for (;;) {
      const i = got.findIndex((m) => m.type === type);
      if (i >= 0) return got.splice(i, 1)[0] as Extract<FromGenerator, { type: T }>;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { got, next, send: (m: ToGenerator) => to.write(encodeMessage(m)) };
};

t.test(
  'a generator runs its segment of each load, answers windows, streams failures and stops',
  async (t) => {
    const echo = await startEchoEndpoint({ paths: ['/a'] });
    t.teardown(() => echo.close());
    const a = loopbackTarget(echo.url('/a'));
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveGenerator(input, output);
    const h = harnessSide(output, input);
    const hello = await h.next('hello');
    t.equal(hello.pid, process.pid);
    h.send({
      op: 'start',
      loads: loadsOf(
        '  - { name: a, via: /a, model: constant-arrival-rate, rate: 40, duration: 500ms }\n' +
          '  - { name: m, via: /missing, model: constant-arrival-rate, rate: 20, duration: 500ms }',
      ),
      target: a,
      seed: 1,
      allowRemote: false,
      segment: { index: 1, count: 2 },
      t: 5000,
    });
    await h.next('done');
    h.send({ op: 'stop', drainMs: 5000 });
    await h.next('stopped');
    h.send({ op: 'window', seq: 1 });
    const w = await h.next('window');
    t.equal(w.seq, 1);
    const byLoad = Object.fromEntries(w.samples.map((s) => [s.load, s]));
    // Segment 1 of 2 takes arrivals 1, 3, 5, ... of the 20 (and of the 10).
    t.equal(byLoad['a']!.started, 10);
    t.equal(byLoad['a']!.ok, 10);
    t.equal(byLoad['m']!.started, 5);
    t.equal(byLoad['m']!.failed['fault'], 5, 'EndpointNotFound faults');
    t.ok(
      w.samples.every((s) => s.t >= 5000),
      'run time counts on from the harness',
    );
    t.ok(w.health.rssBytes > 0);
    const ops = h.got.filter((m) => m.type === 'op');
    t.equal(ops.length, 5, 'each failed session came back as it ended; ok ones are only counted');
    input.end();
    await served;
  },
);

t.test('a generator whose input closes cuts off what is in flight and ends', async (t) => {
  // A server that accepts and never answers: sessions wait for their preamble ack.
  const silent = createServer(() => undefined);
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const sockets: Socket[] = [];
  silent.on('connection', (s) => sockets.push(s));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const target = loopbackTarget(`net.tcp://127.0.0.1:${(silent.address() as { port: number }).port}/a`);
  const input = new PassThrough();
  const output = new PassThrough();
  const served = serveGenerator(input, output);
  const h = harnessSide(output, input);
  await h.next('hello');
  h.send({
    op: 'start',
    loads: loadsOf(
      '  - { name: a, via: /a, model: constant-sessions, sessions: 3, duration: 1m, session: { openTimeout: 1m } }',
    ),
    target,
    seed: 1,
    allowRemote: false,
    segment: { index: 0, count: 1 },
    t: 0,
  });
  await new Promise((r) => setTimeout(r, 200));
  input.end();
  await served;
  const ops = h.got.filter((m): m is Extract<FromGenerator, { type: 'op' }> => m.type === 'op');
  t.equal(ops.length, 3);
  t.ok(
    ops.every((m) => m.event.type === 'info'),
    'cut off: their outcome is unknown',
  );
});

t.test(
  'the protocol runs over a TCP connection as over pipes (a generator on another machine)',
  async (t) => {
    const echo = await startEchoEndpoint();
    t.teardown(() => echo.close());
    const target = loopbackTarget(echo.url('/a'));
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const generatorSide = connect((server.address() as { port: number }).port, '127.0.0.1');
    const served = serveGenerator(generatorSide, generatorSide);
    const [harness] = await accepted;
    const h = harnessSide(harness, harness);
    await h.next('hello');
    h.send({
      op: 'start',
      loads: loadsOf('  - { name: a, via: /a, model: constant-sessions, sessions: 2, duration: 300ms }'),
      target,
      seed: 1,
      allowRemote: false,
      segment: { index: 0, count: 2 },
      t: 0,
    });
    await h.next('done');
    h.send({ op: 'stop', drainMs: 2000 });
    await h.next('stopped');
    h.send({ op: 'window', seq: 9 });
    const w = await h.next('window');
    t.ok(w.samples[0]!.ok > 0, `${w.samples[0]!.ok} sessions ok from one lane of two`);
    t.equal(w.samples[0]!.failed['aborted'] ?? 0, 0);
    harness.end();
    await served;
    generatorSide.destroy();
  },
);
