// A loopback TCP front for a net.tcp service that counts the connections clients open to it, for tests
// that look at how a client uses connections (the .NET client pools a cleanly closed session's connection
// and reuses it). Bytes pass through untouched both ways; a FIN or a reset on one side is passed on.

import { connect, createServer, type Server, type Socket } from 'node:net';

export type CountingFront = {
  port: number;
  // net.tcp://127.0.0.1:PORT + path, to pass as the client's via.
  url: (path: string) => string;
  // Connections clients opened to the front.
  accepted: () => number;
  close: () => Promise<void>;
};

// Starts a front on a free loopback port for the service at 127.0.0.1:`port`.
export const startCountingFront = async (port: number): Promise<CountingFront> => {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket): Socket => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    return s;
  };
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    accepted++;
    track(client);
    const upstream = track(connect({ port, host: '127.0.0.1', allowHalfOpen: true, noDelay: true }));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.resetAndDestroy());
    upstream.on('error', () => client.resetAndDestroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const own = (server.address() as { port: number }).port;
  return {
    port: own,
    url: (path) => `net.tcp://127.0.0.1:${own}${path}`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
