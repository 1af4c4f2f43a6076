// What the network fault's tests share: a guarded proxy process in front of a raw TCP echo server in
// this process (which notes when bytes reach it), and clients that time what comes back.

import { connect, createServer, type Socket } from 'node:net';
import { startNetworkProxy } from '../../faults/network/start.ts';
import type { NetworkProxy } from '../../faults/network/types.ts';
import { spawnGuarded } from '../../harness/target/spawned.ts';
import { Watchdog } from '../../harness/target/watchdog.ts';

type Teardown = { teardown: (fn: () => unknown) => void };

// A TCP echo server; `arrivals` holds when (performance.now()) each chunk reached it.
export const startEcho = async (
  t: Teardown,
): Promise<{ port: number; arrivals: number[]; received: () => number; ends: () => number }> => {
  const arrivals: number[] = [];
  let received = 0;
  // Connections whose close (FIN) the echo server has read: all they sent has been counted.
  let ends = 0;
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.on('data', (d) => {
      arrivals.push(performance.now());
      received += d.length;
      s.write(d);
    });
    s.on('end', () => ends++);
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, () => r()));
  t.teardown(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return {
    port: (server.address() as { port: number }).port,
    arrivals,
    received: () => received,
    ends: () => ends,
  };
};

// A proxy process in front of 127.0.0.1:port, guarded by its own watchdog; both stop at teardown.
export const startProxy = async (t: Teardown, port: number): Promise<NetworkProxy> => {
  const watchdog = await Watchdog.start();
  const proxy = await startNetworkProxy({
    target: { host: '127.0.0.1', port },
    spawn: (argv, o) => spawnGuarded(argv, { ...o, watchdog }),
  });
  t.teardown(async () => {
    await proxy.stop();
    await watchdog.close();
  });
  return proxy;
};

// A connected client socket.
export const dial = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });

// How a client connection ended, and what it read on the way.
export type Ending = {
  how: 'end' | 'reset' | 'error' | 'open';
  // ms from `since` to the end (or to the wait giving up).
  ms: number;
  bytes: number;
  chunks: number;
};

// Watches a socket until it ends or `waitMs` passes; times are from `since` (performance.now()).
export const ending = (s: Socket, waitMs: number, since = performance.now()): Promise<Ending> =>
  new Promise((resolve) => {
    let bytes = 0;
    let chunks = 0;
    const done = (how: Ending['how']) => {
      clearTimeout(timer);
      s.removeAllListeners('data');
      resolve({ how, ms: performance.now() - since, bytes, chunks });
    };
    const timer = setTimeout(() => done('open'), waitMs);
    s.on('data', (d: Buffer) => {
      bytes += d.length;
      chunks++;
    });
    s.once('end', () => done('end'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNRESET' ? 'reset' : 'error'));
  });

// Writes `size` bytes and waits until as many came back; ms from the write, and the data events.
export const echoRound = (s: Socket, size: number): Promise<{ ms: number; chunks: number; bytes: Buffer }> =>
  new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    let n = 0;
    const t0 = performance.now();
    const onData = (d: Buffer) => {
      got.push(d);
      n += d.length;
      if (n < size) return;
      s.off('data', onData);
      s.off('error', reject);
      resolve({ ms: performance.now() - t0, chunks: got.length, bytes: Buffer.concat(got) });
    };
    s.on('data', onData);
    s.once('error', reject);
    s.write(Buffer.alloc(size, 0x61));
  });

// A fresh connection's echo round trip (connect, write, read back, close).
export const freshRound = async (port: number, size = 16): Promise<number> => {
  const s = await dial(port);
  try {
    return (await echoRound(s, size)).ms;
  } finally {
    s.destroy();
  }
};

// Polls until `cond` holds or `ms` passes; resolves with the last answer.
export const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
};

// A toxic spec with Toxiproxy's defaults (downstream, toxicity 1) and a fixed seed.
export const toxic = (
  type: Parameters<NetworkProxy['addToxic']>[0]['type'],
  attributes: Record<string, number>,
  more: Partial<Parameters<NetworkProxy['addToxic']>[0]> = {},
): Parameters<NetworkProxy['addToxic']>[0] => ({
  type,
  stream: 'downstream',
  toxicity: 1,
  attributes,
  seed: 7,
  ...more,
});
