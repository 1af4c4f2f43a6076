// Kept connections on real loopback sockets: the first byte of the next session hands one back, a client
// that closes or stays silent past the idle timeout loses it, and at most `max` wait at once.

import { connect, createServer, type Server, type Socket } from 'node:net';
import t, { type Test } from 'tap';
import { IdleConnections } from '../../host/idle-connections.ts';

// A loopback server; `pair()` connects a client and resolves with both ends (the server's paused, as a
// session hands it over).
const pairs = async (t: Test) => {
  const accepted: ((s: Socket) => void)[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (s) => accepted.shift()?.(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets: Socket[] = [];
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  return async (): Promise<{ client: Socket; server: Socket }> => {
    const serverSide = new Promise<Socket>((resolve) => accepted.push(resolve));
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const s = await serverSide;
    s.pause();
    sockets.push(client, s);
    return { client, server: s };
  };
};

const closed = (s: Socket): Promise<void> =>
  new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

const ended = (s: Socket): Promise<void> =>
  new Promise((resolve) => {
    s.once('end', () => resolve());
    s.once('close', () => resolve());
    s.resume();
  });

t.test('the first bytes of the next session hand the connection back, the rest stays unread', async (t) => {
  const pair = await pairs(t);
  const back: { socket: Socket; bytes: Buffer }[] = [];
  const idle = new IdleConnections({
    next: (socket, bytes) => back.push({ socket, bytes: Buffer.from(bytes) }),
  });
  const { client, server } = await pair();
  idle.keep(server, new Uint8Array(0));
  t.equal(idle.size, 1, 'it waits');
  client.write('first');
  await new Promise((r) => setTimeout(r, 50));
  t.equal(back.length, 1);
  t.equal(back[0]!.socket, server);
  t.equal(back[0]!.bytes.toString(), 'first');
  t.equal(idle.size, 0, 'no longer waiting');
  t.equal(idle.reused, 1);
  t.equal(server.listenerCount('data'), 0, 'its listeners are gone');
  t.ok(server.isPaused(), 'paused for whoever serves it next');
  client.write('second');
  await new Promise((r) => setTimeout(r, 50));
  const rest: Buffer[] = [];
  server.on('data', (c: Buffer) => rest.push(c));
  server.resume();
  await new Promise((r) => setTimeout(r, 50));
  t.equal(Buffer.concat(rest).toString(), 'second', 'what followed is read by the next reader');
});

t.test('bytes already read past the End hand the connection back at once', async (t) => {
  const pair = await pairs(t);
  const back: Buffer[] = [];
  const idle = new IdleConnections({ next: (_s, bytes) => back.push(Buffer.from(bytes)) });
  const { server } = await pair();
  idle.keep(server, Buffer.from('pipelined'));
  t.same(
    back.map((b) => b.toString()),
    ['pipelined'],
  );
  t.equal(idle.size, 0);
  t.equal(idle.reused, 1);
});

t.test('a client that closes its pooled connection: the kept one is closed too', async (t) => {
  const pair = await pairs(t);
  const idle = new IdleConnections({ next: () => t.fail('no next session') });
  const { client, server } = await pair();
  idle.keep(server, new Uint8Array(0));
  client.end();
  await closed(server);
  t.equal(idle.size, 0);
  t.equal(idle.reused, 0);
});

t.test('silent past the idle timeout: closed with a FIN', async (t) => {
  const pair = await pairs(t);
  const idle = new IdleConnections({ idleTimeoutMs: 100, next: () => t.fail('no next session') });
  const { client, server } = await pair();
  const t0 = performance.now();
  idle.keep(server, new Uint8Array(0));
  await ended(client);
  t.ok(performance.now() - t0 >= 95, 'not before the idle timeout');
  t.equal(idle.size, 0);
});

t.test('at most `max` wait at once; closeAll closes them and keeps none after', async (t) => {
  const pair = await pairs(t);
  const idle = new IdleConnections({ max: 2, next: () => t.fail('no next session') });
  const a = await pair();
  const b = await pair();
  const c = await pair();
  idle.keep(a.server, new Uint8Array(0));
  idle.keep(b.server, new Uint8Array(0));
  t.notOk(idle.canKeep(), 'full');
  idle.keep(c.server, new Uint8Array(0));
  await ended(c.client);
  t.equal(idle.size, 2, 'the third was closed, not kept');
  idle.closeAll();
  await Promise.all([ended(a.client), ended(b.client)]);
  t.equal(idle.size, 0);
  t.notOk(idle.canKeep(), 'none kept once closed');
  const d = await pair();
  idle.keep(d.server, new Uint8Array(0));
  await ended(d.client);
});
