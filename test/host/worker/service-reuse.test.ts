// A host worker keeps a cleanly ended session's connection and serves the client's next session on it,
// as a WCF service does for a .NET client's pooled connection: without the listener, with a session slot
// of its own, only for its own service's via, and never once it is replaced.

import t from 'tap';
import { createSoapCodec, OPS_CONTENT_TYPE } from '../../../protocol/index.ts';
import { type KeptConnection, keptConnection } from '../../helpers/kept-connection.ts';
import { openSoap, sleep, status, waitUntil, withHost } from '../helpers/host.ts';
import type { SpawnedHost } from '../../../host/spawn.ts';

const startup = { mode: 'startup' as const };

// One SOAP Echo session on a kept connection: open, Echo `text`, End; what the worker answered.
const echoSession = async (c: KeptConnection, via: string, text: string) => {
  // A fresh codec per session: the binary session encoding's string tables start over with each.
  const codec = createSoapCodec({ encoding: 'binary-session', to: via, contract: 'IInteropService' });
  const ack = await c.open(via);
  if (typeof ack === 'string' || ack.type !== 'preamble-ack') return { ack };
  c.send([{ type: 'sized-envelope', payload: codec.encodeRequest({ operation: 'Echo', params: { text } }) }]);
  const r = await c.next();
  const reply = typeof r === 'string' || r.type !== 'sized-envelope' ? r : codec.decodeReply(r.payload);
  return { ack, reply, end: await c.end() };
};

const worker = async (h: SpawnedHost, path: string) =>
  (await status(h)).workers.find((w) => w.path === path && w.registered)?.report ?? undefined;

t.test(
  'sessions one after another on one connection: one hand-off, the rest served by the worker',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
    const c = await keptConnection(h.port);
    t.teardown(c.close);
    for (const i of [0, 1, 2]) {
      const s = await echoSession(c, h.url('/svc'), `hello ${i}`);
      t.match(s, {
        ack: { type: 'preamble-ack' },
        reply: { kind: 'reply', result: `hello ${i}` },
        end: { type: 'end' },
      });
      t.equal(await c.closedWithin(50), 'open', `session ${i}: the connection is kept`);
    }
    const st = await status(h);
    t.match(st.listener.counts, { accepted: 1, dispatched: 1 }, 'the listener saw one connection');
    t.match(st.workers[0]!.report, { sessions: 0, idle: 1, reused: 2 });
    // The op framing's sessions are kept too: the encoding is per session.
    const ack = await c.open(h.url('/svc'), OPS_CONTENT_TYPE);
    t.match(ack, { type: 'preamble-ack' });
    t.match(await c.end(), { type: 'end' });
    t.match(await worker(h, '/svc'), { reused: 3 });
    // The client closes its pooled connection: the worker closes its end and keeps nothing.
    c.socket.end();
    t.equal(await c.closedWithin(2000), 'fin');
    t.ok(await waitUntil(async () => (await worker(h, '/svc'))?.idle === 0, 2000), 'nothing left waiting');
  },
);

t.test('a next session for another service on the kept connection: EndpointNotFound', async (t) => {
  const h = await withHost(t, {
    services: [
      { path: '/svc', activation: startup },
      { path: '/other', activation: startup },
    ],
  });
  const c = await keptConnection(h.port);
  t.teardown(c.close);
  t.match(await echoSession(c, h.url('/svc'), 'x'), { reply: { result: 'x' } });
  // Below the service's path is still the service (prefix by whole segments), as the listener routes.
  t.match(await echoSession(c, h.url('/svc/v2'), 'y'), { reply: { result: 'y' } });
  t.match(await c.open(h.url('/other')), { type: 'fault', uri: /\/EndpointNotFound$/ });
  t.equal(await c.closedWithin(2000), 'fin', 'then the usual half-close');
  const st = await status(h);
  t.match(st.listener.counts, { accepted: 1, dispatched: 1 });
  t.match(st.workers.find((w) => w.path === '/other')!.report, { reused: 0, sessions: 0 });
});

t.test('a kept connection holds no session slot; its next session waits for one', async (t) => {
  const h = await withHost(t, {
    services: [
      { path: '/one', activation: startup, throttle: { maxConcurrentSessions: 1, maxConcurrentCalls: 4 } },
    ],
  });
  const c = await keptConnection(h.port);
  t.teardown(c.close);
  t.match(await echoSession(c, h.url('/one'), 'a'), { reply: { result: 'a' } });
  // The only slot is free while the connection waits: a session on a new connection opens.
  const other = await openSoap(h, '/one', { openTimeoutMs: 5000 });
  t.ok(other.ok, 'another client gets the slot');
  if (!other.ok) return;
  const events: string[] = [];
  const next = c.open(h.url('/one')).then((r) => (events.push('kept: ack'), r));
  t.ok(await waitUntil(async () => (await worker(h, '/one'))?.waiting === 1, 5000), 'the next session waits');
  await sleep(200);
  t.same(events, [], 'no Ack while the slot is held');
  await other.session.end();
  events.push('other ended');
  t.match(await next, { type: 'preamble-ack' });
  t.same(events, ['other ended', 'kept: ack']);
  t.match(await c.end(), { type: 'end' });
});

t.test(
  "a recycle closes the old worker's kept connections; the next session finds the new one",
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
    const c = await keptConnection(h.port);
    t.teardown(c.close);
    t.match(await echoSession(c, h.url('/svc'), 'before'), { reply: { result: 'before' } });
    const oldPid = (await status(h)).workers[0]!.pid;
    await h.request({ command: 'recycle', path: '/svc', mode: 'overlapped' });
    t.equal(await c.closedWithin(5000), 'fin', 'the draining worker closed the kept connection');
    const d = await keptConnection(h.port);
    t.teardown(d.close);
    t.match(await echoSession(d, h.url('/svc'), 'after'), { reply: { result: 'after' } });
    const w = (await status(h)).workers.find((x) => x.registered)!;
    t.not(w.pid, oldPid, 'served by the new worker');
    t.match(w.report, { idle: 1, reused: 0 });
  },
);

t.test("the project's own client closes after End: nothing stays with the worker", async (t) => {
  const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
  for (let i = 0; i < 5; i++) {
    const s = await openSoap(h, '/svc');
    t.ok(s.ok);
    if (!s.ok) return;
    t.match(await s.call('Echo', { text: `n${i}` }), { kind: 'reply', result: `n${i}` });
    t.match(await s.session.end(), { ok: true });
  }
  t.ok(
    await waitUntil(async () => {
      const r = await worker(h, '/svc');
      return r?.idle === 0 && r.sessions === 0;
    }, 3000),
    'no session and no kept connection left',
  );
  t.match((await status(h)).listener.counts, { accepted: 5, dispatched: 5 }, 'a connection per session');
});
