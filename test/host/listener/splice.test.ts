// The splice a forwarding route makes in the listener process, seen from raw sockets on both sides:
// half-close both ways, resets passed on, backpressure, the listener's descriptors after many pairs,
// and random or truncated preambles on a forwarding route.

import fc from 'fast-check';
import { connect, createServer, type Server, type Socket } from 'node:net';
import t from 'tap';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import { readRss } from '../../../harness/observe/proc.ts';
import { encodeRecords, sessionPreamble } from '../../../protocol/index.ts';
import { fdCount, isAlive, open, sleep, status, waitUntil, withHost } from '../helpers/host.ts';

// A raw upstream; `onConnection` gets each connection (allowHalfOpen: a FIN only ends its reading side).
const rawUpstream = async (
  onConnection: (s: Socket) => void,
): Promise<{ port: number; close: () => Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
};

const dial = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });

const collect = (s: Socket): { bytes: () => Buffer; ended: Promise<void> } => {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  return { bytes: () => Buffer.concat(chunks), ended: new Promise((r) => s.once('end', () => r())) };
};

t.test('a FIN passes through each way on its own: half-close both directions', async (t) => {
  let upstream: { got: () => Buffer; sawFin: Promise<void> } | undefined;
  const up = await rawUpstream((s) => {
    const c = collect(s);
    upstream = { got: c.bytes, sawFin: c.ended };
    // After the client's FIN, the upstream still answers, then ends its side.
    void c.ended.then(() => s.end('late answer'));
  });
  t.teardown(() => up.close());
  const h = await withHost(t, {
    services: [{ path: '/raw', forward: `net.tcp://127.0.0.1:${up.port}/raw` }],
  });
  const preamble = encodeRecords(sessionPreamble(h.url('/raw'), 8));
  const client = await dial(h.port);
  const back = collect(client);
  client.write(preamble);
  client.end(Buffer.from('then my FIN'));
  await waitUntil(() => upstream !== undefined, 2000);
  await upstream!.sawFin;
  t.same(
    upstream!.got(),
    Buffer.concat([preamble, Buffer.from('then my FIN')]),
    'the upstream got every byte, then the FIN',
  );
  await back.ended;
  t.equal(back.bytes().toString(), 'late answer', 'the client still read after its own FIN');
  const closed = await h.waitFor((l) => l.event === 'forward-closed');
  t.match(closed, { how: 'ended', up: preamble.length + 11, down: 11 });
  t.equal((await status(h)).routes[0]!.forward!.open, 0);
});

t.test('a reset on either side is passed on as a reset', async (t) => {
  const seen: string[] = [];
  let resetMine = false;
  const up = await rawUpstream((s) => {
    s.on('error', (e: NodeJS.ErrnoException) => seen.push(e.code ?? 'error'));
    s.once('data', () => {
      if (resetMine) s.resetAndDestroy();
    });
  });
  t.teardown(() => up.close());
  const h = await withHost(t, {
    services: [{ path: '/raw', forward: `net.tcp://127.0.0.1:${up.port}/raw` }],
  });
  const preamble = encodeRecords(sessionPreamble(h.url('/raw'), 8));

  const a = await dial(h.port);
  a.write(preamble);
  await h.waitFor((l) => l.event === 'forward-open');
  await sleep(50);
  a.resetAndDestroy();
  t.ok(await waitUntil(() => seen.includes('ECONNRESET'), 2000), 'the upstream saw the client reset');
  t.match(await h.waitFor((l) => l.event === 'forward-closed'), { how: 'reset', side: 'client' });

  resetMine = true;
  const b = await dial(h.port);
  const error = new Promise<string | undefined>((r) =>
    b.once('error', (e: NodeJS.ErrnoException) => r(e.code)),
  );
  b.write(preamble);
  t.equal(await error, 'ECONNRESET', 'the client saw the upstream reset');
  t.match(await h.waitFor((l) => l.event === 'forward-closed' && l.id === 2), {
    how: 'reset',
    side: 'upstream',
  });
});

t.test('an upstream that stops reading stops the client: nothing piles up in the listener', async (t) => {
  let upstream: Socket | undefined;
  let received = 0;
  const up = await rawUpstream((s) => {
    upstream = s;
    s.pause();
    s.on('data', (c: Buffer) => (received += c.length));
  });
  t.teardown(() => up.close());
  const h = await withHost(t, {
    services: [{ path: '/raw', forward: `net.tcp://127.0.0.1:${up.port}/raw` }],
  });
  const preamble = encodeRecords(sessionPreamble(h.url('/raw'), 8));
  const rssBefore = await readRss(h.pid);
  const client = await dial(h.port);
  client.write(preamble);
  const chunk = Buffer.alloc(1 << 20, 7);
  let written = 0;
  // Write up to 256 MiB; stop at the first drain that does not come within a second.
  while (written < 256 << 20) {
    written += chunk.length;
    if (client.write(chunk)) continue;
    const drained = await Promise.race([
      new Promise<boolean>((r) => client.once('drain', () => r(true))),
      sleep(1000).then(() => false),
    ]);
    if (!drained) break;
  }
  const rssStalled = await readRss(h.pid);
  t.ok(
    written < 96 << 20,
    `the client stalled after ${written >> 20} MiB (kernel buffers, not the listener)`,
  );
  t.ok(
    rssStalled - rssBefore < 64 << 20,
    `the listener grew ${Math.round((rssStalled - rssBefore) / (1 << 20))} MiB`,
  );
  upstream!.resume();
  client.end();
  t.ok(
    await waitUntil(() => received === preamble.length + written, 20000),
    'every byte arrived once the upstream read',
  );
});

t.test('after many spliced pairs, refusals and resets, the listener holds no more descriptors', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const h = await withHost(t, {
    sharing: { listenBacklog: 50, maxPendingAccepts: 10 },
    services: [
      { path: '/echo', forward: echo.url('/echo') },
      { path: '/gone', forward: 'net.tcp://127.0.0.1:1/gone' },
    ],
  });
  const warm = await open(h, '/echo');
  if (warm.ok) await warm.session.end();
  await sleep(200);
  const baseline = await fdCount(h.pid);
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const o = await open(h, i % 5 === 4 ? '/gone' : '/echo');
        if (!o.ok) return;
        await o.session.call(Buffer.alloc(1000, i));
        if (i % 3 === 0) o.session.abort();
        else await o.session.end();
      }),
    );
  }
  t.ok(await waitUntil(async () => (await fdCount(h.pid)) <= baseline, 5000), `back to ${baseline} fds`);
  const st = await status(h);
  t.match(st.listener, { pending: 0, reading: 0, counts: { forwarded: 65, forwardFailed: 16 } });
  t.equal(st.routes[0]!.forward!.open, 0);
  t.ok(await waitUntil(() => echo.sessions === 0, 2000), 'the upstream sides closed too');
});

t.test('random and truncated preambles on a forwarding route crash nothing and leak nothing', async (t) => {
  const echo = await startEchoEndpoint({ receiveTimeoutMs: 500 });
  t.teardown(() => echo.close());
  const h = await withHost(t, {
    sharing: { listenBacklog: 50, maxPendingAccepts: 10, receiveTimeoutMs: 500 },
    services: [{ path: '/echo', forward: echo.url('/echo') }],
  });
  const good = encodeRecords(sessionPreamble(h.url('/echo'), 8));
  const warm = await open(h, '/echo');
  if (warm.ok) await warm.session.end();
  await sleep(200);
  const baseline = await fdCount(h.pid);
  const inputArb = fc.oneof(
    fc.integer({ min: 0, max: good.length }).map((n) => good.subarray(0, n)),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((junk) => Buffer.concat([good, junk])),
    fc
      .tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 32 }))
      .map(([n, junk]) => Buffer.concat([good.subarray(0, n), junk])),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  );
  await fc.assert(
    fc.asyncProperty(inputArb, fc.constantFrom('fin', 'reset', 'linger'), async (bytes, ending) => {
      const s = await dial(h.port).catch(() => undefined);
      if (s === undefined) return true;
      s.on('error', () => {});
      s.write(bytes);
      await sleep(20);
      if (ending === 'fin') s.end();
      else if (ending === 'reset') s.resetAndDestroy();
      else await sleep(100).then(() => s.destroy());
      return true;
    }),
    { numRuns: 60, seed: 11 },
  );
  t.ok(await isAlive(h.pid), 'the listener is alive');
  const after = await open(h, '/echo');
  t.ok(after.ok, 'and still forwards');
  if (after.ok) {
    t.match(await after.session.call(Buffer.from('ok?')), { ok: true });
    await after.session.end();
  }
  t.ok(await waitUntil(async () => (await fdCount(h.pid)) <= baseline, 8000), `back to ${baseline} fds`);
  t.match((await status(h)).listener, { pending: 0, reading: 0 });
});
