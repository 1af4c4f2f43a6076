// The server side of a session on real loopback sockets: after a clean End it closes the connection, or,
// with `reuse`, keeps it and the client's next session runs on it (as a WCF service and the .NET client's
// connection pool do).

import { createServer, type Server, type Socket } from 'node:net';
import t, { type Test } from 'tap';
import { IdleConnections } from '../../host/idle-connections.ts';
import { type ServerSessionOptions, type SessionEnd, serveSession } from '../../host/server-session.ts';
import { encodeRecords, sessionPreamble } from '../../protocol/index.ts';
import { keptConnection } from '../helpers/kept-connection.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const text = (r: unknown) =>
  (r as { type: string }).type === 'sized-envelope'
    ? Buffer.from((r as { payload: Uint8Array }).payload).toString()
    : r;

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

type Served = { ends: SessionEnd[]; vias: string[]; kept: number };

// An echo server whose sessions are built by `options` (reuse or not); every session it serves is counted.
const echoServer = async (
  t: Test,
  options: (
    served: Served,
    serve: (s: Socket, initial?: Uint8Array) => void,
  ) => Partial<ServerSessionOptions>,
) => {
  const served: Served = { ends: [], vias: [], kept: 0 };
  const sockets = new Set<Socket>();
  const serve = (socket: Socket, initial?: Uint8Array): void => {
    sockets.add(socket);
    serveSession(socket, {
      initial,
      receiveTimeoutMs: 5000,
      onPreamble: (p) => {
        served.vias.push(p.via);
        return p.via.endsWith('/nowhere') ? 'EndpointNotFound' : undefined;
      },
      onMessage: (payload, reply) => reply(Uint8Array.from(payload)),
      onClose: (end) => served.ends.push(end),
      ...options(served, serve),
    });
    socket.resume();
  };
  const server: Server = createServer((s) => serve(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  return { port, served, via: (path: string) => `net.tcp://127.0.0.1:${port}${path}` };
};

t.test('without reuse: End both ways, then the server closes (FIN)', async (t) => {
  const { port, served, via } = await echoServer(t, () => ({}));
  const c = await keptConnection(port);
  t.teardown(c.close);
  t.match(await c.open(via('/a')), { type: 'preamble-ack' });
  c.send([{ type: 'sized-envelope', payload: bytes('one') }]);
  t.equal(text(await c.next()), 'one');
  t.match(await c.end(), { type: 'end' });
  t.equal(await c.closedWithin(2000), 'fin');
  // The session is over once the client closes its side too.
  c.socket.end();
  await until(() => served.ends.length > 0);
  t.same(served.ends, [{ how: 'ended' }]);
});

t.test('with reuse: the connection stays open after End and carries the next sessions', async (t) => {
  let kept = 0;
  const { port, served, via } = await echoServer(t, (_s, serve) => {
    const idle = new IdleConnections({ next: (socket, initial) => serve(socket, initial) });
    t.teardown(() => idle.closeAll());
    return {
      reuse: {
        keep: () => idle.canKeep(),
        take: (socket, rest) => {
          kept++;
          idle.keep(socket, rest);
        },
      },
    };
  });
  const c = await keptConnection(port);
  t.teardown(c.close);
  for (const [i, path] of ['/a', '/b', '/a'].entries()) {
    t.match(await c.open(via(path)), { type: 'preamble-ack' }, `session ${i}: Ack`);
    c.send([
      { type: 'sized-envelope', payload: bytes(`m${i}`) },
      { type: 'sized-envelope', payload: bytes(`n${i}`) },
    ]);
    t.equal(text(await c.next()), `m${i}`);
    t.equal(text(await c.next()), `n${i}`);
    t.match(await c.end(), { type: 'end' }, `session ${i}: End`);
    t.equal(await c.closedWithin(100), 'open', `session ${i}: no FIN after End`);
  }
  t.same(served.vias, [via('/a'), via('/b'), via('/a')], 'each session read its own preamble');
  t.same(served.ends, [{ how: 'ended' }, { how: 'ended' }, { how: 'ended' }], 'each reported ended');
  t.equal(kept, 3);
  // A next session the service refuses: its fault, then the usual half-close.
  t.match(await c.open(via('/nowhere')), { type: 'fault', uri: /EndpointNotFound$/ });
  t.equal(await c.closedWithin(2000), 'fin');
});

t.test('with reuse: the next preamble written right behind the End is not lost', async (t) => {
  const { port, served, via } = await echoServer(t, (_s, serve) => {
    const idle = new IdleConnections({ next: (socket, initial) => serve(socket, initial) });
    t.teardown(() => idle.closeAll());
    return { reuse: { keep: () => true, take: (socket, rest) => idle.keep(socket, rest) } };
  });
  const c = await keptConnection(port);
  t.teardown(c.close);
  t.match(await c.open(via('/a')), { type: 'preamble-ack' });
  // End and the next session's preamble and message in one write, without waiting for the server's End.
  c.socket.write(
    encodeRecords([
      { type: 'end' },
      ...sessionPreamble(via('/b'), 0x08),
      { type: 'sized-envelope', payload: bytes('after') },
    ]),
  );
  t.match(await c.next(), { type: 'end' });
  t.match(await c.next(), { type: 'preamble-ack' });
  t.equal(text(await c.next()), 'after');
  t.same(served.vias, [via('/a'), via('/b')]);
});

t.test('with reuse but keep() false: End, then FIN, and take is not called', async (t) => {
  const { port, served, via } = await echoServer(t, () => ({
    reuse: { keep: () => false, take: () => t.fail('not taken') },
  }));
  const c = await keptConnection(port);
  t.teardown(c.close);
  t.match(await c.open(via('/a')), { type: 'preamble-ack' });
  t.match(await c.end(), { type: 'end' });
  t.equal(await c.closedWithin(2000), 'fin');
  // The session is over once the client closes its side too.
  c.socket.end();
  await until(() => served.ends.length > 0);
  t.same(served.ends, [{ how: 'ended' }]);
});

t.test('with reuse: a session the client leaves without End is not kept', async (t) => {
  const { port, served, via } = await echoServer(t, () => ({
    reuse: { keep: () => true, take: () => t.fail('not taken') },
  }));
  const c = await keptConnection(port);
  t.match(await c.open(via('/a')), { type: 'preamble-ack' });
  c.socket.end();
  t.equal(await c.closedWithin(2000), 'fin');
  t.match(served.ends, [{ how: 'closed' }]);
});
