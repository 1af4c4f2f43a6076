// The SOAP stand-in service (test/fixtures/programs/soap-service.ts) as a child process for a test: on a
// free loopback port, tied to this process by its stdin, stopped by pid.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './programs.ts';

export const STAND_IN = fileURLToPath(new URL('../fixtures/programs/soap-service.ts', import.meta.url));

export type StandIn = {
  port: number;
  pid: number;
  // net.tcp://127.0.0.1:PORT/
  base: string;
  // http://127.0.0.1:N/ when started with `http` (its endpoints: basic for SOAP 1.1, ws for SOAP 1.2).
  http: string | undefined;
  // Every line it printed.
  readonly lines: readonly string[];
  // SIGHUP, resolved once it printed the RECYCLED line for it.
  recycle: () => Promise<void>;
  stop: () => Promise<void>;
};

// `http`: also serve the HTTP bindings, on this port (0 or true: a free one). `recycleGap`: recycle
// without overlap, listening again this many ms after the old listeners stopped.
export type StandInOptions = {
  anyAddress?: boolean;
  exactHost?: boolean;
  port?: number;
  http?: boolean | number;
  recycleGap?: number;
};

// Starts the stand-in and waits for its READY line.
export const startStandIn = async (options: StandInOptions = {}, timeoutMs = 15000): Promise<StandIn> => {
  const port = options.port ?? (await freePort());
  const args = [
    STAND_IN,
    String(port),
    '--exit-with-stdin',
    ...(options.anyAddress === true ? ['--any-address'] : []),
    ...(options.exactHost === true ? ['--exact-host'] : []),
    ...(options.http === undefined || options.http === false
      ? []
      : ['--http-port', String(options.http === true ? 0 : options.http)]),
    ...(options.recycleGap === undefined ? [] : ['--recycle-gap', String(options.recycleGap)]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters = new Set<{ match: (l: string) => boolean; resolve: () => void }>();
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      for (const w of waiters) {
        if (!w.match(l)) continue;
        waiters.delete(w);
        w.resolve();
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitLine = (match: (l: string) => boolean, what: string): Promise<void> =>
    lines.some(match)
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`the stand-in printed no ${what} in ${timeoutMs}ms`)),
            timeoutMs,
          );
          waiters.add({
            match,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          });
          void exited.then(() => reject(new Error(`the stand-in exited before ${what}`)));
        });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  };
  try {
    await waitLine((l) => l.startsWith('READY '), 'READY line');
  } catch (e) {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    throw e;
  }
  let recycles = 0;
  return {
    port,
    pid: child.pid!,
    base: `net.tcp://127.0.0.1:${port}/`,
    http: lines.find((l) => l.startsWith('HTTP '))?.slice('HTTP '.length),
    lines,
    recycle: () => {
      const n = ++recycles;
      process.kill(child.pid!, 'SIGHUP');
      return waitLine((l) => l === `RECYCLED ${n}`, `RECYCLED ${n}`);
    },
    stop,
  };
};
