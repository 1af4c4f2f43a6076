import t from 'tap';
import {
  type NetTcpTarget,
  openSession,
  parseNetTcpUrl,
  resolveNetTcpUrl,
  type SessionOptions,
} from '../../../clients/nettcp/index.ts';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import {
  ackThenSilent,
  closedPort,
  closesOnEnd,
  faultsPreamble,
  garbageReply,
  httpServer,
  resetsOnMessage,
  silentServer,
} from '../../fixtures/servers.ts';

const target = (url: string): Promise<NetTcpTarget> => resolveNetTcpUrl(url);

const open = async (url: string, o: SessionOptions = {}) => openSession(await target(url), o);

t.test('open, call, end against an echo endpoint', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await open(echo.url('/orders'));
  if (!r.ok) throw new Error(`open failed: ${JSON.stringify(r.failure)}`);
  t.ok(r.timings.connectMs >= 0 && r.timings.preambleMs >= 0, 'stage timings are measured');
  const payload = Buffer.from('hello net.tcp');
  const c = await r.session.call(payload);
  t.ok(c.ok && Buffer.from(c.reply).equals(payload), 'the reply is the echo');
  t.ok(c.ms >= 0);
  const e = await r.session.end();
  t.equal(e.ok, true, 'End both ways');
  t.equal(r.session.state, 'ended');
});

t.test('many calls in flight on one session each get their own reply', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await open(echo.url());
  if (!r.ok) throw new Error('open failed');
  const payloads = Array.from({ length: 200 }, (_, i) => Buffer.from(`call-${i}-${'x'.repeat(i)}`));
  const replies = await Promise.all(payloads.map((p) => r.session.call(p)));
  t.equal(r.session.inFlight, 0);
  t.ok(
    replies.every((c, i) => c.ok && Buffer.from(c.reply).equals(payloads[i]!)),
    'every reply matched its call, in order',
  );
  t.equal((await r.session.end()).ok, true);
});

t.test('a correlator matches replies by key', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const keyOf = (p: Uint8Array) => p[0]!;
  const r = await open(echo.url(), { correlate: { requestKey: keyOf, replyKey: keyOf } });
  if (!r.ok) throw new Error('open failed');
  const replies = await Promise.all([1, 2, 3].map((k) => r.session.call(Uint8Array.of(k, 0xaa))));
  t.same(
    replies.map((c) => (c.ok ? c.reply[0] : -1)),
    [1, 2, 3],
  );
  await r.session.end();
});

t.test('end waits for calls in flight before sending End', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await open(echo.url());
  if (!r.ok) throw new Error('open failed');
  const calls = [r.session.call(Buffer.from('a')), r.session.call(Buffer.from('b'))];
  const end = r.session.end();
  const results = await Promise.all(calls);
  t.ok(results.every((c) => c.ok));
  t.equal((await end).ok, true);
});

t.test('the server fault is reported by name', async (t) => {
  const echo = await startEchoEndpoint({ paths: ['/orders'] });
  t.teardown(() => echo.close());
  const r = await open(echo.url('/nowhere'));
  t.match(r, { ok: false, failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointNotFound' } });
});

t.test('a fault URI outside the framing namespace is kept as a URI', async (t) => {
  const s = await faultsPreamble('http://example.invalid/custom');
  t.teardown(() => s.close());
  const r = await open(s.url());
  t.match(r, { ok: false, failure: { kind: 'fault', fault: null, uri: 'http://example.invalid/custom' } });
});

t.test('nothing listening is refused', async (t) => {
  const port = await closedPort();
  const r = await open(`net.tcp://127.0.0.1:${port}/x`);
  t.match(r, { ok: false, failure: { kind: 'refused', stage: 'connect' } });
});

t.test('a silent server times out at the preamble stage', async (t) => {
  const s = await silentServer();
  t.teardown(() => s.close());
  const r = await open(s.url(), { openTimeoutMs: 200 });
  t.match(r, { ok: false, failure: { kind: 'timeout', stage: 'preamble' } });
});

t.test('a server that never replies times out the call, and the session can still end', async (t) => {
  const s = await ackThenSilent();
  t.teardown(() => s.close());
  const r = await open(s.url());
  if (!r.ok) throw new Error('open failed');
  const c = await r.session.call(Buffer.from('x'), { timeoutMs: 100 });
  t.match(c, { ok: false, failure: { kind: 'timeout', stage: 'call' } });
  t.equal(r.session.inFlight, 0);
  const e = await r.session.end({ timeoutMs: 150 });
  t.match(e, { ok: false, failure: { kind: 'timeout', stage: 'end' } });
});

t.test('a reset during a call is a reset at the call stage', async (t) => {
  const s = await resetsOnMessage();
  t.teardown(() => s.close());
  const r = await open(s.url());
  if (!r.ok) throw new Error('open failed');
  const c = await r.session.call(Buffer.from('x'));
  t.match(c, { ok: false, failure: { kind: 'reset', stage: 'call' } });
});

t.test('an HTTP server is named plainly', async (t) => {
  const s = await httpServer();
  t.teardown(() => s.close());
  const r = await open(s.url());
  t.match(r, { ok: false, failure: { kind: 'not-net.tcp', stage: 'preamble', detail: /^HTTP\/1\.1 400/ } });
});

t.test('a server that closes instead of answering End', async (t) => {
  const s = await closesOnEnd();
  t.teardown(() => s.close());
  const r = await open(s.url());
  if (!r.ok) throw new Error('open failed');
  t.match(await r.session.end(), { ok: false, failure: { kind: 'closed', stage: 'end' } });
});

t.test('a record a server never sends is a protocol failure', async (t) => {
  const s = await garbageReply();
  t.teardown(() => s.close());
  const r = await open(s.url());
  if (!r.ok) throw new Error('open failed');
  t.match(await r.session.call(Buffer.from('x')), {
    ok: false,
    failure: { kind: 'protocol', stage: 'call', code: 'NMF_UNEXPECTED_REPLY' },
  });
});

t.test('abort resolves calls in flight as aborted', async (t) => {
  const s = await ackThenSilent();
  t.teardown(() => s.close());
  const r = await open(s.url());
  if (!r.ok) throw new Error('open failed');
  const c = r.session.call(Buffer.from('x'));
  r.session.abort();
  t.match(await c, { ok: false, failure: { kind: 'aborted', stage: 'call' } });
  t.match(await r.session.call(Buffer.from('y')), { ok: false, failure: { kind: 'aborted' } });
});

t.test('an AbortSignal aborts an open in progress', async (t) => {
  const s = await silentServer();
  t.teardown(() => s.close());
  const ac = new AbortController();
  const p = open(s.url(), { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  t.match(await p, { ok: false, failure: { kind: 'aborted', stage: 'preamble' } });
});

t.test('a reply larger than the client accepts is a protocol failure', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await open(echo.url(), { limits: { maxEnvelope: 10 } });
  if (!r.ok) throw new Error('open failed');
  t.match(await r.session.call(Buffer.alloc(11)), {
    ok: false,
    failure: { kind: 'protocol', code: 'NMF_ENVELOPE_TOO_LARGE' },
  });
});

t.test('targets outside loopback are refused unless allowed', async (t) => {
  await t.rejects(resolveNetTcpUrl('net.tcp://192.0.2.1:808/x'), { code: 'CLIENT_REMOTE_TARGET' });
  const a = parseNetTcpUrl('net.tcp://192.0.2.1/x');
  await t.rejects(openSession({ ...a, ip: '192.0.2.1' }), { code: 'CLIENT_REMOTE_TARGET' });
});

t.test('net.tcp URLs parse with the default port and keep the via', async (t) => {
  t.match(parseNetTcpUrl('net.tcp://Example.test/Orders/Svc.svc'), {
    host: 'example.test',
    port: 808,
    path: '/Orders/Svc.svc',
    via: 'net.tcp://example.test/Orders/Svc.svc',
  });
  t.match(parseNetTcpUrl('net.tcp://[::1]:9000/a'), { host: '[::1]', port: 9000 });
  t.throws(() => parseNetTcpUrl('http://a/b'), { code: 'CLIENT_ADDRESS' });
  t.throws(() => parseNetTcpUrl('not a url'), { code: 'CLIENT_ADDRESS' });
});
