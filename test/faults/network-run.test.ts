import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { readAllStats } from '../../harness/observe/proc.ts';
import { CLI, runCli } from '../helpers/cli.ts';
import { startEcho, waitFor } from './network-helpers.ts';

const ECHO_SERVER = fileURLToPath(new URL('../fixtures/programs/echo-server.ts', import.meta.url));

// A suite against the echo program with one network fault.
const writeSuite = async (
  dir: string,
  name: string,
  o: { load: string; fault: string; checks: string; expect: string },
) => {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `name: ${name}
seed: 4
target:
  command: [node, ${JSON.stringify(ECHO_SERVER)}, '{port}']
  port: auto
load:
  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 20, ${o.load}, session: { calls: 2 } }
faults:
  - ${o.fault}
probe: { interval: 100ms, timeout: 2s }
checks:
${o.checks}
expect: ${o.expect}
`,
  );
  return file;
};

// Live processes, not zombies, of a process group.
const groupMembers = async (pgid: number): Promise<number[]> =>
  (await readAllStats()).filter((s) => s.pgrp === pgid && s.state !== 'Z').map((s) => s.pid);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

type Event = {
  t: number;
  kind: string;
  ms?: number;
  pid?: number;
  type?: string;
  fault?: string;
  message?: string;
  data?: Record<string, unknown>;
};
// What these tests read of report.json.
type Report = {
  verdicts: { check: string; status: string; evidence: { byPhase?: Record<string, { p50: number }> } }[];
  faults: {
    kind: string;
    injectedAt: number;
    healedAt: number;
    notes: { connections: number; maxDelayMs: number }[];
  }[];
};

const history = async (file: string): Promise<Event[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.startsWith('{') && l.endsWith('}'))
    .map((l) => JSON.parse(l) as Event);

t.test(
  'a run with a latency toxic: load and probes go through the proxy, and latency rises only during the fault',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-net-'));
    const file = await writeSuite(dir, 'net-latency', {
      load: 'duration: 5s',
      fault: '{ kind: network, at: 1500ms, duration: 2s, toxic: latency, latency: 150 }',
      checks: '  latency: { p50: 100ms, phase: faults }\n  listener.responsive: { maxGap: 1s }',
      expect: '{ fail: [latency] }',
    });
    const r = await runCli(['run', file, '--out', dir]);
    t.equal(r.exitCode, 0, String(r.stdout) + String(r.stderr).slice(-1000));
    const report = JSON.parse(await readFile(join(dir, 'net-latency', 'report.json'), 'utf8')) as Report;
    const latency = report.verdicts.find((v) => v.check === 'latency')!;
    const p50 = (phase: string) => latency.evidence.byPhase![phase]!.p50;
    // A session is an open, two calls and an end: four answers, each held back 150ms.
    t.ok(p50('faults') >= 450, `sessions took ${p50('faults')}ms (p50) during the fault`);
    // Relative, not absolute: a busy machine slows every phase, the toxic only the fault's.
    t.ok(p50('faults') - p50('baseline') >= 300, `${p50('baseline')}ms before it`);
    t.ok(p50('faults') - p50('recovery') >= 300, `and ${p50('recovery')}ms after its heal`);
    t.equal(report.verdicts.find((v) => v.check === 'listener.responsive')?.status, 'pass');
    const fault = report.faults[0]!;
    t.match(fault, { kind: 'network', label: 'latency latency=150 downstream', errors: [] });
    t.ok(fault.healedAt - fault.injectedAt >= 1900, 'healed after its duration');
    const stats = fault.notes.at(-1)!;
    t.ok(stats.connections >= 20, `the toxic acted on ${stats.connections} connections`);
    t.ok(stats.maxDelayMs >= 150, `holding bytes back up to ${stats.maxDelayMs}ms`);
    const events = await history(join(dir, 'net-latency', 'history.ndjson'));
    // The run's probe goes through the proxy too: an open and an end, two answers held back.
    // The heal begins 2s after the intent (the fault's duration), and the toxic goes at once; the heal
    // event comes after. A probe inside ran wholly before the heal began.
    const intentAt = events.find((e) => e.kind === 'fault' && e.type === 'intent')!.t;
    const inWindow = events.filter(
      (e) => e.kind === 'probe' && e.t - (e.ms ?? 0) > fault.injectedAt && e.t < intentAt + 2000,
    );
    t.ok(inWindow.length >= 2, `${inWindow.length} probes ran inside the fault`);
    t.ok(
      inWindow.every((e) => (e.ms ?? 0) >= 280),
      `each took at least 2 x 150ms: ${inWindow.map((e) => Math.round(e.ms ?? 0)).join(', ')}`,
    );
    t.ok(
      events.some(
        (e) =>
          e.kind === 'log' &&
          /^network proxy in front of the target on 127\.0\.0\.1:\d+$/.test(e.message ?? ''),
      ),
    );
  },
);

t.test('SIGKILL of the harness mid-fault leaves no proxy behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-net-'));
  const file = await writeSuite(dir, 'net-kill', {
    load: 'duration: 60s',
    fault: '{ kind: network, at: 300ms, duration: 50s, toxic: timeout, timeout: 0, toxicity: 0.5 }',
    checks: '  listener.responsive: { maxGap: 1s }',
    expect: 'pass',
  });
  const child = execa(process.execPath, [CLI, 'run', file, '--out', dir], { reject: false });
  const hist = join(dir, 'net-kill', 'history.ndjson');
  t.ok(
    await waitFor(
      async () =>
        (await history(hist)).some((e) => e.kind === 'fault' && e.fault === 'network' && e.type === 'inject'),
      30_000,
    ),
    'the toxic is in force',
  );
  const events = await history(hist);
  const proxyPid = events.find((e) => e.message?.startsWith('network proxy in front'))?.data?.[
    'pid'
  ] as number;
  const targetPid = events.find((e) => e.kind === 'ready')!.pid!;
  t.ok(alive(proxyPid) && alive(targetPid), 'the proxy and the target run');
  child.kill('SIGKILL');
  await child;
  t.ok(await waitFor(async () => (await groupMembers(proxyPid)).length === 0, 8000), 'the proxy is gone');
  t.ok(await waitFor(async () => (await groupMembers(targetPid)).length === 0, 8000), 'and the target');
});

t.test('the proxy exits when its control channel goes, even with no watchdog', async (t) => {
  const echo = await startEcho(t);
  const parent = execa(
    process.execPath,
    [fileURLToPath(new URL('./network-parent.ts', import.meta.url)), String(echo.port)],
    {
      reject: false,
    },
  );
  const first = await new Promise<string>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(d.toString())),
  );
  const { proxy } = JSON.parse(first) as { proxy: number };
  t.ok(alive(proxy), 'the proxy runs');
  parent.kill('SIGKILL');
  await parent;
  t.ok(
    await waitFor(async () => (await groupMembers(proxy)).length === 0, 5000),
    'the proxy exited by itself',
  );
});
