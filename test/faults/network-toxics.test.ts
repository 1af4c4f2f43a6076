import t from 'tap';
import { NetworkProxyError } from '../../faults/network/types.ts';
import {
  dial,
  echoRound,
  ending,
  freshRound,
  startEcho,
  startProxy,
  toxic,
  waitFor,
} from './network-helpers.ts';

const echo = await startEcho(t);
const proxy = await startProxy(t, echo.port);

// Until the proxy has let go of every connection (a closed client's takes a moment to notice).
const settled = () => waitFor(async () => (await proxy.list()).connections === 0, 3000);

// Each test starts from a proxy with no connection left from the one before.
t.beforeEach(settled);

t.test(
  'latency delays what comes back by about latency, and its removal restores the round trip',
  async (t) => {
    const before = await freshRound(proxy.port);
    await settled();
    const { name } = await proxy.addToxic(toxic('latency', { latency: 250 }));
    const during = await freshRound(proxy.port);
    const r = await proxy.removeToxic(name);
    const after = await freshRound(proxy.port);
    t.ok(during >= 230, `a round trip took ${during}ms with 250ms of latency`);
    t.ok(during - before >= 200, `latency added ${during - before}ms`);
    t.ok(after < during - 150, `healed: ${after}ms after, ${during}ms during`);
    t.equal(r.expired, false);
    t.equal(r.stats.connections, 1);
    t.equal(r.stats.bytes, 16);
    t.ok(r.stats.maxDelayMs >= 240, `it held bytes back for ${r.stats.maxDelayMs}ms`);
  },
);

t.test('upstream latency holds bytes before the target, downstream after it', async (t) => {
  for (const stream of ['upstream', 'downstream'] as const) {
    const { name } = await proxy.addToxic(toxic('latency', { latency: 300 }, { stream }));
    const s = await dial(proxy.port);
    const seen = echo.arrivals.length;
    const t0 = performance.now();
    const round = await echoRound(s, 32);
    const reached = echo.arrivals[seen]! - t0;
    s.destroy();
    await proxy.removeToxic(name);
    t.ok(round.ms >= 280, `${stream}: the round trip took ${round.ms}ms`);
    if (stream === 'upstream') t.ok(reached >= 280, `upstream: the target saw the bytes after ${reached}ms`);
    else t.ok(reached < 150, `downstream: the target saw the bytes after ${reached}ms`);
  }
});

t.test('jitter varies the delay either side of latency', async (t) => {
  const { name } = await proxy.addToxic(toxic('latency', { latency: 200, jitter: 150 }));
  const rounds = await Promise.all(Array.from({ length: 8 }, () => freshRound(proxy.port)));
  await proxy.removeToxic(name);
  const spread = Math.max(...rounds) - Math.min(...rounds);
  t.ok(
    Math.min(...rounds) >= 40,
    `the shortest round trip was ${Math.min(...rounds)}ms (latency - jitter = 50)`,
  );
  t.ok(spread >= 30, `round trips spread over ${spread}ms: ${rounds.map(Math.round).join(', ')}`);
});

t.test('a toxic acts on connections already open; removing it lets what it held go at once', async (t) => {
  const s = await dial(proxy.port);
  await echoRound(s, 8);
  const { name, applied } = await proxy.addToxic(toxic('latency', { latency: 3000 }));
  t.equal(applied, 1, 'the open connection was drawn in');
  const round = echoRound(s, 8);
  await new Promise((r) => setTimeout(r, 300));
  await proxy.removeToxic(name);
  const { ms } = await round;
  s.destroy();
  t.ok(ms >= 250 && ms < 2000, `held until the removal (${ms}ms), not for the full 3000ms`);
});

t.test('toxicity 0 affects no connection; 0.5 draws each connection in or out', async (t) => {
  // A delayed round trip takes at least 800ms; a spared one, even on a busy machine, far less.
  const none = await proxy.addToxic(toxic('latency', { latency: 800 }, { toxicity: 0 }));
  const spared = await Promise.all(Array.from({ length: 6 }, () => freshRound(proxy.port)));
  const r0 = await proxy.removeToxic(none.name);
  t.ok(Math.max(...spared) < 700, `no round trip was delayed: ${spared.map(Math.round).join(', ')}`);
  t.same([r0.stats.connections, r0.stats.spared], [0, 6]);

  await settled();
  const half = await proxy.addToxic(toxic('latency', { latency: 800 }, { toxicity: 0.5, seed: 11 }));
  const rounds = await Promise.all(Array.from({ length: 16 }, () => freshRound(proxy.port)));
  const r = await proxy.removeToxic(half.name);
  const slow = rounds.filter((ms) => ms >= 780).length;
  t.equal(r.stats.connections + r.stats.spared, 16);
  t.ok(r.stats.connections > 0 && r.stats.spared > 0, `${r.stats.connections} in, ${r.stats.spared} spared`);
  t.equal(slow, r.stats.connections, 'exactly the connections drawn in were delayed');
});

t.test('bandwidth holds a bulk transfer to its rate', async (t) => {
  const s = await dial(proxy.port);
  const before = (await echoRound(s, 40_000)).ms;
  const { name } = await proxy.addToxic(toxic('bandwidth', { rate: 40 }));
  const during = await echoRound(s, 40_000);
  const r = await proxy.removeToxic(name);
  const after = (await echoRound(s, 40_000)).ms;
  s.destroy();
  // 40 KB at 40 KB/s is one second.
  t.ok(during.ms >= 850, `40 KB took ${during.ms}ms at 40 KB/s (${before}ms before)`);
  t.ok(after < 500, `healed: 40 KB took ${after}ms`);
  t.ok(during.bytes.equals(Buffer.alloc(40_000, 0x61)), 'every byte arrived, in order');
  t.equal(r.stats.bytes, 40_000);
  t.ok(r.stats.chunks >= 10, `it let the bytes through in ${r.stats.chunks} steps of at most 100ms`);
});

t.test('reset_peer resets the connection timeout ms after the first data, which it drops', async (t) => {
  const { name } = await proxy.addToxic(toxic('reset_peer', { timeout: 300 }, { stream: 'upstream' }));
  const before = echo.received();
  const s = await dial(proxy.port);
  const t0 = performance.now();
  s.write('hello');
  const e = await ending(s, 3000, t0);
  const r = await proxy.removeToxic(name);
  t.equal(e.how, 'reset');
  t.ok(e.ms >= 250, `reset after ${e.ms}ms`);
  t.equal(e.bytes, 0);
  t.equal(echo.received(), before, 'the target never saw the bytes');
  t.same([r.stats.resets, r.stats.dropped], [1, 5]);

  // timeout 0, downstream: reset as soon as the answer comes back.
  const now = await proxy.addToxic(toxic('reset_peer', {}));
  const s2 = await dial(proxy.port);
  const t1 = performance.now();
  s2.write('hello');
  const e2 = await ending(s2, 3000, t1);
  await proxy.removeToxic(now.name);
  t.equal(e2.how, 'reset');
  t.ok(e2.ms < 1000, `reset after ${e2.ms}ms`);
  t.equal(echo.received(), before + 5, 'upstream passed; the answer was dropped');
});

t.test('timeout stops the data, then closes the connection after timeout', async (t) => {
  const { name } = await proxy.addToxic(toxic('timeout', { timeout: 400 }));
  const t0 = performance.now();
  const s = await dial(proxy.port);
  s.write('hello');
  const e = await ending(s, 3000, t0);
  const r = await proxy.removeToxic(name);
  t.equal(e.how, 'end', 'closed (FIN), not reset');
  t.equal(e.bytes, 0, 'no data passed');
  t.ok(e.ms >= 350, `closed after ${e.ms}ms`);
  t.same([r.stats.closes, r.stats.dropped], [1, 5]);
});

t.test('timeout 0 holds the connection open without data until removed, then closes it', async (t) => {
  const { name } = await proxy.addToxic(toxic('timeout', { timeout: 0 }));
  const s = await dial(proxy.port);
  s.write('hello');
  const held = await ending(s, 600);
  t.same([held.how, held.bytes], ['open', 0], 'open, and silent');
  const t0 = performance.now();
  const closed = ending(s, 3000, t0);
  await proxy.removeToxic(name);
  const e = await closed;
  t.equal(e.how, 'end', 'the connection that lost bytes is closed at the removal');
  t.ok(e.ms < 1000, `closed ${e.ms}ms after the removal`);
  t.ok((await freshRound(proxy.port)) < 300, 'a new connection is forwarded as normal');
});

t.test('slow_close holds a close back by delay, upstream or downstream', async (t) => {
  const closeMs = async () => {
    const s = await dial(proxy.port);
    const t0 = performance.now();
    s.end();
    // The echo server closes when it reads the client's close; that close comes back.
    return (await ending(s, 3000, t0)).ms;
  };
  const before = await closeMs();
  for (const stream of ['upstream', 'downstream'] as const) {
    const { name } = await proxy.addToxic(toxic('slow_close', { delay: 400 }, { stream }));
    const ms = await closeMs();
    const r = await proxy.removeToxic(name);
    t.ok(ms >= 350, `${stream}: the close took ${ms}ms (${before}ms without the toxic)`);
    t.equal(r.stats.delayedCloses, 1);
  }
  t.ok(before < 200, `without the toxic the close took ${before}ms`);
});

t.test('slicer delivers data in small slices, every byte intact', async (t) => {
  const s = await dial(proxy.port);
  const before = await echoRound(s, 4000);
  const { name } = await proxy.addToxic(
    toxic('slicer', { average_size: 100, size_variation: 40, delay: 3000 }),
  );
  const during = await echoRound(s, 4000);
  const r = await proxy.removeToxic(name);
  s.destroy();
  t.ok(during.chunks >= 15, `read in ${during.chunks} pieces (${before.chunks} without the toxic)`);
  t.ok(during.bytes.equals(Buffer.alloc(4000, 0x61)), 'every byte arrived, in order');
  t.ok(
    r.stats.chunks >= Math.floor(4000 / 140) && r.stats.chunks <= Math.ceil(4000 / 60) + 1,
    `${r.stats.chunks} slices of 60 to 140 bytes`,
  );
});

t.test('limit_data lets bytes through, then closes the connection', async (t) => {
  const down = await proxy.addToxic(toxic('limit_data', { bytes: 1000 }));
  const before = echo.received();
  const ends = echo.ends();
  const s = await dial(proxy.port);
  s.write(Buffer.alloc(3000, 1));
  const e = await ending(s, 3000);
  const r = await proxy.removeToxic(down.name);
  t.same([e.how, e.bytes], ['end', 1000], 'downstream: 1000 bytes came back, then the close');
  t.ok(await waitFor(() => echo.ends() > ends, 3000), 'the target saw the close');
  t.equal(echo.received(), before + 3000, 'upstream was not limited');
  t.same([r.stats.closes, r.stats.bytes], [1, 1000]);

  const up = await proxy.addToxic(toxic('limit_data', { bytes: 1000 }, { stream: 'upstream' }));
  const s2 = await dial(proxy.port);
  const before2 = echo.received();
  const ends2 = echo.ends();
  s2.write(Buffer.alloc(3000, 1));
  const e2 = await ending(s2, 3000);
  await proxy.removeToxic(up.name);
  // The client can see its close before the target has read what came ahead of the target's close.
  t.ok(await waitFor(() => echo.ends() > ends2, 3000), 'the target saw the close');
  t.equal(echo.received() - before2, 1000, 'upstream: the target got 1000 bytes');
  t.equal(e2.how, 'end');
  t.ok(e2.bytes <= 1000, `and echoed at most those (${e2.bytes})`);
});

t.test('the proxy refuses a toxic it cannot apply, saying why', async (t) => {
  await t.rejects(
    proxy.addToxic(toxic('slicer', { average_size: 10, size_variation: 10 })),
    new NetworkProxyError(
      'the network proxy refused: bad request: toxic.attributes.size_variation: expected a size_variation smaller than average_size (10)',
    ),
  );
  await t.rejects(
    proxy.addToxic(toxic('latency', {})),
    /latency \(milliseconds added to each chunk of data\)/,
  );
  await t.rejects(
    proxy.addToxic(toxic('bandwidth', { rate: 10, latency: 5 })),
    /no latency on a bandwidth toxic/,
  );
  await t.rejects(proxy.removeToxic('nope'), /no toxic named "nope"/);
  t.same((await proxy.list()).toxics, [], 'nothing was added');
});

t.test('a toxic expires on its own after expiresInMs, and says so when removed later', async (t) => {
  const { name } = await proxy.addToxic(toxic('latency', { latency: 400 }, { expiresInMs: 300 }));
  t.ok(await waitFor(async () => (await proxy.list()).toxics.length === 0, 2000), 'gone from the proxy');
  t.ok((await freshRound(proxy.port)) < 300, 'and no longer delays anything');
  const r = await proxy.removeToxic(name);
  t.equal(r.expired, true);
});

t.test('connections through the proxy are let go when their peers close', async (t) => {
  const sockets = await Promise.all(Array.from({ length: 5 }, () => dial(proxy.port)));
  t.ok(await waitFor(async () => (await proxy.list()).connections === 5, 2000), 'five open');
  for (const s of sockets) s.end();
  t.ok(await waitFor(async () => (await proxy.list()).connections === 0, 2000), 'none left');
});
