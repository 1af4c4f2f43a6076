// The real .NET client (System.ServiceModel.NetTcp, NetTcpBinding) calling the reference host's own
// workers, which answer as a WCF service: through `nettcp-chaos host` exactly as a user runs it, and
// through a host started for the test at a paused path, a service that speaks only the op framing, an
// address its filter refuses, an on-demand activation and an overlapped recycle under a call.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { spawnHost } from '../../host/spawn.ts';
import { OPS_CONTENT_TYPE } from '../../protocol/index.ts';
import { CLI } from '../helpers/cli.ts';
import { type ClientRun, runClient, runLoad, skipReason } from './programs.ts';

const clientSkip = skipReason('client');
if (clientSkip !== undefined) t.comment(`.NET client skipped: ${clientSkip}`);

// Open, echo, delay, a fault with its reason, close: what every successful run prints.
const matchGoodRun = (t: Test, run: ClientRun, what: string): void => {
  t.equal(run.code, 0, `${what}: ${JSON.stringify(run.lines)} ${run.stderr}`);
  t.match(run.lines, [
    { op: 'open', ok: true },
    { op: 'echo', ok: true, expected: true, result: 'hello' },
    { op: 'delay', ok: true, result: 'slept 50 ms' },
    { op: 'fault', ok: false, expected: true, error: { type: 'fault', code: 'Sender', reason: 'boom' } },
    { op: 'close', ok: true },
  ]);
  t.ok(((run.lines[2]?.ms as number | undefined) ?? 0) >= 45, `${what}: the delay took its time`);
};

const CALLS = ['echo:hello', 'delay:50', 'fault:boom'];

// `nettcp-chaos host --config FILE` in its own process; resolves with its port once it printed ready.
// The teardown stops it by pid (SIGTERM, which it passes to the host) and waits for it to exit.
const runHostCommand = async (t: Test, yaml: string): Promise<{ port: number }> => {
  const dir = mkdtempSync(join(tmpdir(), 'nettcp-chaos-dotnet-host-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'host.yaml');
  writeFileSync(file, yaml);
  const child: ChildProcess = spawn(process.execPath, [CLI, 'host', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    await exited;
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host printed no ready line in 30s: ${err}`)),
      30_000,
    );
    void exited.then(() => reject(new Error(`the host exited before it was ready: ${err}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"ready"')) return;
      clearTimeout(timer);
      resolve({ port: (JSON.parse(line) as { port: number }).port });
    });
  });
};

t.test(
  'the .NET client calls echo, delay and fault on `nettcp-chaos host` with a service at /svc, and exits 0',
  { skip: clientSkip },
  async (t) => {
    const { port } = await runHostCommand(t, 'services:\n  - path: /svc\n');
    matchGoodRun(t, await runClient([`net.tcp://127.0.0.1:${port}/svc`, ...CALLS]), '/svc');
  },
);

t.test(
  'the .NET client and the host: a paused path, an op framing only service, a refused To',
  { skip: clientSkip },
  async (t) => {
    const h = await spawnHost({
      services: [
        { path: '/svc', activation: { mode: 'startup' } },
        { path: '/ops', activation: { mode: 'startup' }, contentTypes: [OPS_CONTENT_TYPE] },
      ],
    });
    t.teardown(() => h.stop());
    // A paused route answers EndpointUnavailable, which the .NET client raises as EndpointNotFoundException.
    await h.request({ command: 'pause', path: '/svc' });
    const paused = await runClient([h.url('/svc'), 'echo:x']);
    t.equal(paused.code, 1);
    t.match(paused.lines[0], { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } });
    await h.request({ command: 'resume', path: '/svc' });
    matchGoodRun(t, await runClient([h.url('/svc'), ...CALLS]), 'resumed');
    // A service that lists only the op framing's content type refuses NetTcpBinding's encoding.
    const ops = await runClient([h.url('/ops'), 'echo:x']);
    t.equal(ops.code, 1);
    t.match(ops.lines[0], {
      op: 'open',
      ok: false,
      error: {
        type: 'ProtocolException',
        message: /Content Type application\/soap\+msbinsession1 was not supported/,
      },
    });
    // Addressed (To) elsewhere, dialled (via) to the worker: the address filter's fault, which WCF raises
    // as EndpointNotFoundException; the session itself closes cleanly.
    const elsewhere = await runClient(['net.tcp://127.0.0.1:1/elsewhere', '--via', h.url('/svc'), 'echo:x']);
    t.equal(elsewhere.code, 1);
    t.match(elsewhere.lines, [
      { op: 'open', ok: true },
      {
        op: 'echo',
        ok: false,
        error: { type: 'EndpointNotFoundException', message: /AddressFilter mismatch/ },
      },
      { op: 'close', ok: true },
    ]);
  },
);

t.test(
  'the .NET client through an on-demand activation, and a delay call across an overlapped recycle',
  { skip: clientSkip },
  async (t) => {
    const h = await spawnHost({
      services: [{ path: '/lazy', activation: { mode: 'on-demand', delayMs: 300 }, drainTimeoutMs: 30_000 }],
    });
    t.teardown(() => h.stop());
    matchGoodRun(t, await runClient([h.url('/lazy'), ...CALLS]), 'activated on demand');
    const long = runClient([h.url('/lazy'), 'delay:3000', 'echo:after']);
    // Recycle once the call is in the worker.
    for (let i = 0; i < 200; i++) {
      const s = await h.request<{ workers: { report: { calls: { active: number } } | null }[] }>({
        command: 'status',
      });
      if (s.workers.some((w) => (w.report?.calls.active ?? 0) > 0)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await h.request({ command: 'recycle', path: '/lazy', mode: 'overlapped' });
    const run = await long;
    t.equal(run.code, 0, JSON.stringify(run.lines));
    t.match(run.lines, [
      { op: 'open', ok: true },
      { op: 'delay', ok: true, result: 'slept 3000 ms' },
      { op: 'echo', ok: true, result: 'after' },
      { op: 'close', ok: true },
    ]);
    matchGoodRun(t, await runClient([h.url('/lazy'), ...CALLS]), 'after the recycle, the new worker');
  },
);

t.test(
  "the pooled .NET client's sessions reuse the connections a worker keeps; unpooled, one connection each",
  { skip: clientSkip },
  async (t) => {
    const h = await spawnHost({ services: [{ path: '/svc', activation: { mode: 'startup' } }] });
    t.teardown(() => h.stop());
    const SESSIONS = 60;
    const counts = async () =>
      await h.request<{
        listener: { counts: { accepted: number } };
        workers: { report: { reused: number; sessions: number } | null }[];
      }>({ command: 'status' });
    const run = async (pooling: '--pooled' | '--unpooled') => {
      const before = await counts();
      const r = await runLoad([
        h.url('/svc'),
        '--lanes',
        '3',
        '--sessions',
        String(SESSIONS),
        '--calls',
        '2',
        pooling,
      ]);
      t.equal(r.code, 0, r.stderr);
      t.match(r.summary, { sessions: { ok: SESSIONS, failed: 0 }, calls: { ok: 2 * SESSIONS, failed: 0 } });
      const after = await counts();
      return {
        connections: after.listener.counts.accepted - before.listener.counts.accepted,
        reused: (after.workers[0]!.report?.reused ?? 0) - (before.workers[0]!.report?.reused ?? 0),
      };
    };
    const unpooled = await run('--unpooled');
    t.same(unpooled, { connections: SESSIONS, reused: 0 }, 'unpooled: every session a connection of its own');
    const pooled = await run('--pooled');
    t.ok(
      pooled.connections < SESSIONS / 2,
      `pooled: ${pooled.connections} connections for ${SESSIONS} sessions`,
    );
    t.equal(pooled.connections + pooled.reused, SESSIONS, 'every other session on a kept connection');
  },
);
