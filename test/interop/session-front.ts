// A loopback TCP front for a net.tcp service that counts the connections clients open to it, for tests that
// look at how a client uses connections. With `reuse`, it also keeps a client's connection once a session
// ended cleanly (End both ways) and carries the next session on it, as WCF services do (CoreWCF's
// IConnectionReuseHandler, .NET Framework's ConnectionDemuxer.ReuseConnection): each session goes to the
// service on a connection of its own, so a service that closes after End (the SOAP stand-in) can be used.

import { connect, createServer, type Server, type Socket } from 'node:net';
import { FramingDecoder } from '../../protocol/index.ts';

export type SessionFront = {
  port: number;
  // net.tcp://127.0.0.1:PORT + path, to pass as the client's via.
  url: (path: string) => string;
  // Connections clients opened to the front.
  accepted: () => number;
  // Sessions carried to the service (one service connection each).
  sessions: () => number;
  close: () => Promise<void>;
};

// Starts a front on a free loopback port for the service at 127.0.0.1:`port`.
export const startSessionFront = async (port: number, options: { reuse: boolean }): Promise<SessionFront> => {
  let accepted = 0;
  let sessions = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket): Socket => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    return s;
  };

  const serve = (client: Socket): void => {
    accepted++;
    track(client);
    // The service connection of the session in progress, and whether the client has sent that session's End.
    let upstream: Socket | undefined;
    let decoder: FramingDecoder | undefined;
    let clientEnded = false;

    const openUpstream = (): Socket => {
      sessions++;
      const u = track(connect({ port, host: '127.0.0.1', allowHalfOpen: true, noDelay: true }));
      u.on('data', (b: Buffer) => {
        if (u === upstream) client.write(b);
      });
      u.on('end', () => {
        if (u !== upstream) return;
        // The service closes after a clean End: keep the client's connection for its next session.
        if (options.reuse && clientEnded) {
          upstream = undefined;
          u.destroy();
        } else client.end();
      });
      u.on('error', () => {
        if (u === upstream) client.resetAndDestroy();
      });
      u.on('close', () => {
        if (u === upstream && !client.destroyed) client.destroy();
      });
      return u;
    };

    const forward = (chunk: Uint8Array): void => {
      if (upstream === undefined || clientEnded) {
        // A new session (the first, or one after a clean End): a fresh service connection.
        if (upstream !== undefined) upstream.destroy();
        upstream = openUpstream();
        clientEnded = false;
        decoder = options.reuse ? new FramingDecoder({ stopAfter: (r) => r.type === 'end' }) : undefined;
      }
      if (decoder === undefined) {
        upstream.write(chunk);
        return;
      }
      const { error } = decoder.decode(chunk);
      if (error !== undefined) {
        // Not framing this front can follow: pass the bytes on and stop looking.
        decoder = undefined;
        upstream.write(chunk);
        return;
      }
      if (!decoder.stopped) {
        upstream.write(chunk);
        return;
      }
      const rest = decoder.rest();
      upstream.write(chunk.subarray(0, chunk.length - rest.length));
      clientEnded = true;
      // A client waits for the service's End before it starts another session on the connection.
      if (rest.length > 0) forward(rest);
    };

    client.setNoDelay(true);
    client.on('data', (b: Buffer) => forward(b));
    client.on('end', () => {
      if (upstream !== undefined) upstream.end();
      else client.end();
    });
    client.on('error', () => upstream?.destroy());
    client.on('close', () => upstream?.destroy());
  };

  const server: Server = createServer({ allowHalfOpen: true }, serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const own = (server.address() as { port: number }).port;
  return {
    port: own,
    url: (path) => `net.tcp://127.0.0.1:${own}${path}`,
    accepted: () => accepted,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
