// The .NET interop programs for tests: whether they can run here (and why not), starting the CoreWCF
// service on a free loopback port, running the .NET client.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { spawnHost } from '../../host/spawn.ts';

const INTEROP = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'interop');

const PROGRAMS = {
  service: join(INTEROP, 'service', 'bin', 'Release', 'net10.0', 'InteropService.dll'),
  client: join(INTEROP, 'client', 'bin', 'Release', 'net10.0', 'InteropClient.dll'),
  'nbfx-oracle': join(INTEROP, 'nbfx-oracle', 'bin', 'Release', 'net10.0', 'NbfxOracle.dll'),
} as const;
export type ProgramName = keyof typeof PROGRAMS;

const hasDotnet = (): boolean => {
  try {
    execFileSync('dotnet', ['--version'], { stdio: 'ignore', timeout: 20000 });
    return true;
  } catch {
    return false;
  }
};

let dotnet: boolean | undefined;

// Why a program cannot run here, or undefined when it can: no dotnet, not built, or blocked on packages.
export const skipReason = (name: ProgramName): string | undefined => {
  dotnet ??= hasDotnet();
  if (!dotnet) return 'dotnet is not on PATH';
  if (existsSync(PROGRAMS[name])) return undefined;
  const blocked = join(INTEROP, name, 'bin', 'BLOCKED');
  if (existsSync(blocked))
    return readFileSync(blocked, 'utf8')
      .trim()
      .replace(/\s*\n\s*/g, '; ');
  return `interop/${name} is not built (run interop/build.sh)`;
};

// Whichever of the programs cannot run, with the reasons joined.
export const skipReasons = (...names: ProgramName[]): string | undefined => {
  const r = names.map(skipReason).filter((x) => x !== undefined);
  return r.length === 0 ? undefined : r.join(' | ');
};

// A free loopback port (CoreWCF needs a real port number up front: it builds its base address from it).
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export type RunningService = {
  port: number;
  pid: number;
  // Base address: net.tcp://127.0.0.1:PORT/
  base: string;
  stderr: () => string;
  stop: () => Promise<void>;
};

// Starts the CoreWCF service and waits for its ready line; stop() ends it by pid (SIGTERM, then SIGKILL).
export const startService = async (timeoutMs = 60000): Promise<RunningService> => {
  const port = await freePort();
  const child: ChildProcess = spawn('dotnet', [PROGRAMS.service, '--port', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, 'SIGTERM');
    const t = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    }, 10000);
    await exited;
    clearTimeout(t);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`no ready line in ${timeoutMs} ms; stderr: ${err}`)),
        timeoutMs,
      );
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('READY ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`service exited with ${code} before it was ready; stderr: ${err}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, pid: child.pid!, base: `net.tcp://127.0.0.1:${port}/`, stderr: () => err, stop };
};

// The CoreWCF service behind a reference host with two forwarding routes to its /echo: the same path
// (the via goes through as sent; CoreWCF looks it up by path) and another path (the via is rewritten to
// the service's own address). Both stop at the test's teardown.
export const serviceBehindHost = async (t: Test) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const h = await spawnHost({
    services: [
      { path: '/echo', forward: `${svc.base}echo` },
      { path: '/shared/orders', forward: { to: `${svc.base}echo`, via: 'rewrite' } },
    ],
  });
  t.teardown(() => h.stop());
  return { svc, h };
};

export type ClientRun = { code: number | null; lines: Record<string, unknown>[]; stderr: string };

// Runs the .NET client to completion and parses its JSON lines.
export const runClient = (args: string[], timeoutMs = 60000): Promise<ClientRun> =>
  new Promise((resolve, reject) => {
    const child = spawn('dotnet', [PROGRAMS.client, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      process.kill(child.pid!, 'SIGKILL');
      reject(new Error(`client ran past ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines, stderr: err });
    });
  });

export type RunningClient = {
  pid: number;
  // The JSON lines printed so far.
  readonly lines: readonly Record<string, unknown>[];
  // Resolves once `n` lines were printed (rejects if the client exits first).
  linesAtLeast: (n: number) => Promise<void>;
  done: Promise<ClientRun>;
};

// Starts the .NET client and reads its JSON lines as they come; killed (SIGKILL, by pid) past `timeoutMs`.
export const startClient = (args: string[], timeoutMs = 120000): RunningClient => {
  const child = spawn('dotnet', [PROGRAMS.client, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<{ n: number; resolve: () => void }>();
  let partial = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    for (const l of parts) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
    for (const w of waiters) {
      if (lines.length < w.n) continue;
      waiters.delete(w);
      w.resolve();
    }
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<ClientRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(child.pid!, 'SIGKILL');
      reject(new Error(`client ran past ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (partial.trim() !== '') lines.push(JSON.parse(partial) as Record<string, unknown>);
      resolve({ code, lines: [...lines], stderr: err });
    });
  });
  const linesAtLeast = (n: number): Promise<void> =>
    lines.length >= n
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          waiters.add({ n, resolve });
          void done.then(
            () => reject(new Error(`the client exited after ${lines.length} of ${n} lines`)),
            reject,
          );
        });
  return { pid: child.pid!, lines, linesAtLeast, done };
};

// One session of the client's load mode, as it printed it.
export type LoadSession = {
  lane: number;
  session: number;
  ok: boolean;
  openMs: number | null;
  calls: number[];
  closeMs: number | null;
  ms: number;
  stage?: 'open' | 'call' | 'close';
  errorMs?: number;
  error?: { type: string; message?: string };
  atDeadline?: boolean;
};

type Spread = { p50: number; p99: number; max: number; n: number };

// The load mode's summary line.
export type LoadSummary = {
  summary: true;
  binding: 'net.tcp' | 'basic-http';
  mode: 'churn' | 'persistent';
  pooled: boolean;
  lanes: number;
  sessions: {
    ok: number;
    failed: number;
    atDeadline: number;
    byType: Record<string, number>;
    byStage: Record<string, number>;
  };
  calls: { ok: number; failed: number };
  warmupMs: number;
  wallMs: number;
  sessionsPerSec: number;
  callsPerSec: number;
  sessionMs: Spread;
  openMs: Spread;
  callMs: Spread;
  cpuMs: number;
  processCpuMs: number;
  pid: number;
  deadlineHit: boolean;
  stuck: boolean;
};

export type LoadRun = {
  code: number | null;
  sessions: LoadSession[];
  summary: LoadSummary | undefined;
  stderr: string;
};

// Splits a load run's lines into its sessions and its summary.
export const loadRun = (run: ClientRun): LoadRun => ({
  code: run.code,
  sessions: run.lines.filter((l) => l['summary'] !== true) as LoadSession[],
  summary: run.lines.find((l) => l['summary'] === true) as LoadSummary | undefined,
  stderr: run.stderr,
});

// Runs the client's load mode (`InteropClient load ARGS...`) to completion.
export const runLoad = async (args: string[], timeoutMs = 120000): Promise<LoadRun> =>
  loadRun(await runClient(['load', ...args], timeoutMs));

export type OracleRequest =
  { op: 'read'; session: string; hex: string } | { op: 'write'; session: string; xml: string };
export type OracleAnswer = { ok: true; xml?: string; hex?: string } | { ok: false; error: string };

// Runs a batch of requests through .NET's binary XML reader and writer (interop/nbfx-oracle), in order,
// with `dictionary` as the static strings.
export const runOracle = (
  dictionary: readonly string[],
  requests: readonly OracleRequest[],
): Promise<OracleAnswer[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'nbfx-oracle-'));
  const file = join(dir, 'dictionary.txt');
  writeFileSync(file, dictionary.join('\n'));
  return new Promise<OracleAnswer[]>((resolve, reject) => {
    const child = spawn('dotnet', [PROGRAMS['nbfx-oracle'], '--dictionary', file], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      process.kill(child.pid!, 'SIGKILL');
      reject(new Error('the oracle ran past 120 s'));
    }, 120000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`the oracle exited with ${code}: ${err}`));
      resolve(
        out
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as OracleAnswer),
      );
    });
    child.stdin.end(requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
};
