// Runs `host/main.ts` as a child process (the listener in its own process, as the harness runs it) and
// follows its event stream: for tests, benchmarks and tools that need the host out of process.

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CONFIG_ENV, type HostConfigInput } from './config-input.ts';
import { type ControlClient, connectControl } from './control/client.ts';
import { HostError, HostErrorCode } from './errors.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

// Any line of main's stdout: the host's events plus ready, stopped and error.
export type HostLine = { event: string; t: number; [field: string]: unknown };

export type SpawnedHost = {
  // The listener's pid.
  pid: number;
  port: number;
  control: string;
  url(path: string): string;
  // Every line so far, in order.
  readonly lines: readonly HostLine[];
  // Resolves with the first line (already seen or still to come) that matches.
  waitFor(match: (e: HostLine) => boolean, timeoutMs?: number): Promise<HostLine>;
  // A control request over a connection opened on first use.
  request<T = unknown>(req: { command: string; [field: string]: unknown }): Promise<T>;
  // Signals the listener and waits for it to exit.
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type SpawnHostOptions = { port?: number; readyTimeoutMs?: number };

// Starts the host with a configuration (defaults filled in by main) and waits for `ready`.
export const spawnHost = async (
  config: HostConfigInput,
  options: SpawnHostOptions = {},
): Promise<SpawnedHost> => {
  // The host holds the other end of stdin: when this process dies, however, so does the host.
  const args = [
    MAIN,
    '--exit-with-stdin',
    ...(options.port === undefined ? [] : ['--port', String(options.port)]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: HostLine[] = [];
  const watchers = new Set<{ match: (e: HostLine) => boolean; resolve: (e: HostLine) => void }>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let e: HostLine;
    try {
      e = JSON.parse(text) as HostLine;
    } catch {
      return;
    }
    lines.push(e);
    for (const w of watchers) {
      if (w.match(e)) {
        watchers.delete(w);
        w.resolve(e);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (match: (e: HostLine) => boolean, timeoutMs = 10_000): Promise<HostLine> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve: (e: HostLine) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        watchers.delete(w);
        reject(
          new Error(`no matching host event within ${timeoutMs}ms; last: ${JSON.stringify(lines.at(-1))}`),
        );
      }, timeoutMs);
      watchers.add(w);
    });
  };
  const ready = await Promise.race([
    waitFor((e) => e.event === 'ready' || e.event === 'error', options.readyTimeoutMs ?? 15_000),
    exited.then(() => undefined),
  ]).catch(() => undefined);
  if (ready?.event !== 'ready') {
    child.kill('SIGKILL');
    const why = ready?.event === 'error' ? String(ready.message) : 'it exited or did not get ready in time';
    throw new HostError(HostErrorCode.ActivationFailed, `the host did not start: ${why}`);
  }
  let control: Promise<ControlClient> | undefined;
  const port = ready.port as number;
  return {
    pid: child.pid!,
    port,
    control: ready.control as string,
    url: (path) => `net.tcp://127.0.0.1:${port}${path}`,
    lines,
    waitFor,
    request: async <T>(req: { command: string; [field: string]: unknown }) =>
      (await (control ??= connectControl(ready.control as string))).request<T>(req),
    stop: async (signal = 'SIGTERM') => {
      if (control !== undefined) (await control.catch(() => undefined))?.close();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
};
