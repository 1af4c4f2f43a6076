// The client's connection pool against real endpoints: a service that keeps a cleanly ended session's
// connection carries the next sessions on it; one that closes after End, or closes a kept connection
// under the client, costs a new connection and no failed session; the pool's bounds and close.

import t from 'tap';
import {
  ConnectionPool,
  openSession,
  resolveNetTcpUrl,
  type SessionOptions,
} from '../../../clients/nettcp/index.ts';
import { type EchoEndpoint, startEchoEndpoint } from '../../../host/echo-endpoint.ts';

const echoSession = async (echo: EchoEndpoint, o: SessionOptions, text = 'x') => {
  const r = await openSession(await resolveNetTcpUrl(echo.url('/svc')), o);
  if (!r.ok) throw new Error(`open failed: ${JSON.stringify(r.failure)}`);
  const c = await r.session.call(Buffer.from(text));
  const e = await r.session.end();
  return { call: c.ok ? Buffer.from(c.reply).toString() : c.failure, end: e.ok };
};

const until = async (check: () => boolean): Promise<boolean> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  return check();
};

t.test('sessions one after another share one connection the service keeps', async (t) => {
  const echo = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => echo.close());
  const pool = new ConnectionPool();
  t.teardown(() => pool.close());
  for (let i = 0; i < 5; i++)
    t.same(await echoSession(echo, { pool }, `s${i}`), { call: `s${i}`, end: true });
  t.equal(echo.accepted, 1, 'one connection');
  t.equal(echo.reused, 4, 'four sessions on it after the first');
  t.match(pool.counts, { reused: 4, stale: 0, kept: 5, discarded: 0 });
  t.equal(pool.idle, 1, 'the connection waits in the pool');
  pool.close();
  t.equal(pool.idle, 0);
  t.ok(await until(() => echo.sessions === 0), 'nothing left open at the service');
});

t.test('without a pool, or against a service that closes after End: a connection per session', async (t) => {
  const keeps = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => keeps.close());
  for (let i = 0; i < 3; i++) t.same(await echoSession(keeps, {}), { call: 'x', end: true });
  t.equal(keeps.accepted, 3, 'no pool: a connection each');
  const closes = await startEchoEndpoint();
  t.teardown(() => closes.close());
  const pool = new ConnectionPool();
  t.teardown(() => pool.close());
  for (let i = 0; i < 3; i++) t.same(await echoSession(closes, { pool }), { call: 'x', end: true });
  t.equal(closes.accepted, 3, 'the service closed each: a connection each');
  t.ok(await until(() => pool.idle === 0), 'nothing stays in the pool');
});

t.test('a kept connection the service closed meanwhile: the next session opens another', async (t) => {
  const echo = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => echo.close());
  const pool = new ConnectionPool();
  t.teardown(() => pool.close());
  const target = await resolveNetTcpUrl(echo.url('/svc'));
  t.same(await echoSession(echo, { pool }), { call: 'x', end: true });
  // The service drops what it keeps (a WCF service stopping); the client's pool has not seen it yet.
  const socket = pool.take(ConnectionPool.keyOf(target))!;
  t.ok(socket !== undefined);
  await echo.close();
  const again = await startEchoEndpoint({ keepConnections: true, port: echo.port });
  t.teardown(() => again.close());
  pool.keep(ConnectionPool.keyOf(target), socket);
  const r = await echoSession(again, { pool });
  t.same(r, { call: 'x', end: true }, 'the session succeeded on a new connection');
  t.equal(again.accepted, 1);
  t.ok(pool.counts.stale + pool.counts.reused >= 1, 'the kept connection was tried or dropped first');
});

t.test('at most maxIdle wait per endpoint; after close none is kept', async (t) => {
  const echo = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => echo.close());
  const pool = new ConnectionPool({ maxIdle: 1 });
  const target = await resolveNetTcpUrl(echo.url('/svc'));
  const a = await openSession(target, { pool });
  const b = await openSession(target, { pool });
  if (!a.ok || !b.ok) throw new Error('open failed');
  t.equal(echo.accepted, 2);
  await a.session.end();
  await b.session.end();
  t.equal(pool.idle, 1, 'one kept');
  t.match(pool.counts, { kept: 1, discarded: 1 });
  pool.close();
  t.same(await echoSession(echo, { pool }), { call: 'x', end: true });
  t.equal(echo.accepted, 3, 'a closed pool gives no connection');
  t.equal(pool.idle, 0, 'and keeps none');
  t.ok(await until(() => echo.sessions === 0));
});

t.test('a connection kept for another via is not used for this one', async (t) => {
  const echo = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => echo.close());
  const pool = new ConnectionPool();
  t.teardown(() => pool.close());
  const a = await openSession(await resolveNetTcpUrl(echo.url('/a')), { pool });
  if (!a.ok) throw new Error('open failed');
  await a.session.end();
  const b = await openSession(await resolveNetTcpUrl(echo.url('/b')), { pool });
  if (!b.ok) throw new Error('open failed');
  await b.session.end();
  t.equal(echo.accepted, 2);
  t.equal(pool.idle, 2);
});
