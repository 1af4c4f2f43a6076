// Starts the network proxy process in front of a target and talks to it. The caller's `spawn` starts
// it guarded (the run uses spawnGuarded, so the watchdog takes it down if the harness dies); the
// proxy dials back to a loopback port opened here for its control channel, and exits when that
// channel closes, so it cannot outlive the harness even unguarded.

import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Spawned } from '../../model/process.ts';
import { line, parseMessage, parseResult, type ProxyMessage, type RESULTS } from './control-protocol.ts';
import type { ToxicSpec } from './toxic-spec.ts';
import { type NetworkProxy, NetworkProxyError, type RemovedToxic } from './types.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

// Starts a process (argv) with extra env, its output lines to onLine; the run passes spawnGuarded.
export type SpawnProxy = (
  argv: readonly string[],
  o: { env: Record<string, string>; onLine: (line: string, stream: 'stdout' | 'stderr') => void },
) => Spawned;

export type StartProxyOptions = {
  target: { host: string; port: number };
  spawn: SpawnProxy;
  // Where the proxy listens (default 127.0.0.1).
  listen?: string;
  startTimeoutMs?: number;
  requestTimeoutMs?: number;
  // A toxic that expired on its own (the proxy's backstop) was removed.
  onExpired?: (r: RemovedToxic) => void;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
};

type Ready = Extract<ProxyMessage, { event: 'ready' }>;

// Waits for the proxy's control connection that carries our token in its first line.
const acceptChannel = (
  server: ReturnType<typeof createServer>,
  token: string,
): Promise<{ socket: Socket; ready: Ready; lines: AsyncIterator<string> }> =>
  new Promise((resolve) => {
    server.on('connection', (socket) => {
      const lines = createInterface({ input: socket })[Symbol.asyncIterator]();
      void lines.next().then(
        (first) => {
          let m: ProxyMessage | undefined;
          try {
            m = first.done === true ? undefined : parseMessage(first.value);
          } catch {
            m = undefined;
          }
          if (m !== undefined && 'event' in m && m.event === 'ready' && m.token === token) {
            resolve({ socket, ready: m, lines });
          } else socket.destroy();
        },
        () => socket.destroy(),
      );
    });
  });

// Starts the proxy and resolves once it listens and its control channel is up.
export const startNetworkProxy = async (o: StartProxyOptions): Promise<NetworkProxy> => {
  const listen = o.listen ?? '127.0.0.1';
  const startTimeoutMs = o.startTimeoutMs ?? 10_000;
  const requestTimeoutMs = o.requestTimeoutMs ?? 5000;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const token = randomBytes(16).toString('hex');
  const config = {
    target: o.target,
    listen,
    control: { port: (server.address() as { port: number }).port, token },
  };
  let p: Spawned;
  try {
    p = o.spawn([process.execPath, MAIN], {
      env: { NETTCP_CHAOS_PROXY: JSON.stringify(config) },
      onLine: (l, s) => o.onLine?.(l, s),
    });
  } catch (e) {
    server.close();
    throw new NetworkProxyError(`could not start the network proxy: ${(e as Error).message}`, { cause: e });
  }
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    acceptChannel(server, token),
    p.exited.then((x) => ({ exited: x })),
    new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), startTimeoutMs))),
  ]);
  clearTimeout(timer);
  server.close();
  if (started === 'timeout' || 'exited' in started) {
    await p.stop('SIGKILL', 0);
    const why =
      started === 'timeout'
        ? `did not report ready within ${startTimeoutMs}ms`
        : `exited (code ${started.exited.code}, signal ${started.exited.signal})`;
    throw new NetworkProxyError(
      `the network proxy ${why}; its last output:\n${p.lastLines().slice(-10).join('\n')}`,
    );
  }
  return proxyHandle(o, p, started, requestTimeoutMs, listen);
};

const proxyHandle = (
  o: StartProxyOptions,
  p: Spawned,
  { socket, ready, lines }: { socket: Socket; ready: Ready; lines: AsyncIterator<string> },
  requestTimeoutMs: number,
  host: string,
): NetworkProxy => {
  type Pending = { op: keyof typeof RESULTS; resolve: (v: unknown) => void; reject: (e: Error) => void };
  const pending = new Map<number, Pending>();
  let ids = 0;
  let gone = false;
  const goneError = () => new NetworkProxyError('the network proxy went away (its control channel closed)');
  const fail = (e: Error) => {
    gone = true;
    for (const r of pending.values()) r.reject(e);
    pending.clear();
  };
  socket.on('error', () => {});
  socket.on('close', () => fail(goneError()));
  void (async () => {
    for (let n = await lines.next(); n.done !== true; n = await lines.next()) {
      let m: ProxyMessage;
      try {
        m = parseMessage(n.value);
      } catch (e) {
        o.onLine?.(`network proxy: ${(e as Error).message}`, 'stderr');
        continue;
      }
      if ('event' in m) {
        if (m.event === 'expired') o.onExpired?.({ name: m.name, stats: m.stats, expired: m.expired });
        continue;
      }
      const r = pending.get(m.id);
      if (r === undefined) continue;
      pending.delete(m.id);
      if (!m.ok) r.reject(new NetworkProxyError(`the network proxy refused: ${m.error}`));
      else {
        try {
          r.resolve(parseResult(r.op, m.result));
        } catch (e) {
          r.reject(e as Error);
        }
      }
    }
  })().catch((e: unknown) => fail(e as Error));

  const request = <Op extends keyof typeof RESULTS>(op: Op, fields: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      if (gone || !socket.writable) return reject(goneError());
      const id = ++ids;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new NetworkProxyError(`the network proxy did not answer ${op} within ${requestTimeoutMs}ms`));
      }, requestTimeoutMs);
      pending.set(id, {
        op,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      socket.write(line({ id, op, ...fields }));
    });

  let stopping: Promise<void> | undefined;
  return {
    host,
    port: ready.port,
    pid: p.pid,
    target: { ...o.target },
    running: () => !gone && p.running(),
    addToxic: async (spec: ToxicSpec) =>
      (await request('add', { toxic: spec })) as { name: string; applied: number },
    removeToxic: async (name) => (await request('remove', { name })) as RemovedToxic,
    list: async () => (await request('list', {})) as Awaited<ReturnType<NetworkProxy['list']>>,
    stop: () =>
      (stopping ??= (async () => {
        // Closing the channel is enough for the proxy to exit; the signal is for one that is stuck.
        socket.end();
        await p.stop('SIGTERM', 2000);
      })()),
  };
};
