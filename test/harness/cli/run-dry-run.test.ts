import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.ts';

const SUITE = `name: planned
seed: 9
target:
  host:
    listen: 127.0.0.1:0
    sharing: { maxPendingAccepts: 2, dispatchTimeout: 5s }
    services:
      - { path: /orders, throttle: { maxConcurrentCalls: 4 }, activation: { mode: on-demand, delay: 250ms } }
load:
  - { name: steady, via: /orders, model: constant-arrival-rate, rate: 20, duration: 10s }
  - { name: late, via: /orders, startAt: 2s, model: constant-sessions, sessions: 3, duration: 3s }
faults:
  - { kind: cpu-spike, at: 2s, duration: 3s, workers: 2, load: 80 }
  - { kind: slow-activation, at: 1s, delay: 6s, path: /orders, recycle: stop-start, duration: 4s }
  - { kind: recycle, at: 7s, mode: overlapped, path: /orders }
  - { kind: pause, at: 12s, duration: 1s, path: /orders, name: too late }
checks:
  listener.responsive: { maxGap: 1s }
`;

t.test('--dry-run prints the resolved plan, starts nothing and exits 0', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-dry-'));
  const file = join(dir, 'planned.yaml');
  await writeFile(file, SUITE);
  const out = join(dir, 'runs');
  const r = await runCli(['run', file, '--dry-run', '--out', out], { timeout: 20_000 });
  t.equal(r.exitCode, 0, String(r.stderr));
  const text = String(r.stdout);
  t.match(text, /^planned \(.*planned\.yaml\): seed 9$/m);
  t.match(text, /the reference host on 127\.0\.0\.1:auto/);
  t.match(text, /maxPendingAccepts 2/);
  t.match(text, /service \/orders: on-demand activation, delay 250ms; maxConcurrentCalls 4/);
  t.match(text, /steady\s+0ms -> 10s\s+constant-arrival-rate 20 sessions\/s via \/orders/);
  t.match(text, /late\s+2s -> 5s\s+constant-sessions 3 at once/);
  t.match(text, /cpu-spike#0\s+2s -> 5s\s+cpu-spike: 2 busy process\(es\) at 80% for 3s/);
  t.match(text, /slow-activation#1\s+1s -> 5s\s+slow activation of \/orders: 6s for every activation for 4s/);
  t.match(text, /recycle#2\s+at 7s \(instant\)\s+overlapped recycle of \/orders/);
  t.match(text, /pause#3\s+12s -> 13s\s+too late: pause .*WARNING: starts after load ends/);
  t.match(text, /fault journal: /);
  t.match(text, /dry run: nothing was started$/m);
  t.equal(String(r.stderr).includes('journal sweep'), false, 'no sweep either');
  await t.rejects(access(out), 'no run folder was written');
});

t.test('--dry-run --json gives the plan as data; an invalid suite still exits 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-dry-'));
  const file = join(dir, 'planned.yaml');
  await writeFile(file, SUITE);
  const r = await runCli(['run', file, '--dry-run', '--json', '--seed', '4'], { timeout: 20_000 });
  t.equal(r.exitCode, 0);
  const [plan] = JSON.parse(String(r.stdout)) as {
    seed: number;
    faults: { id: string; from: number; to: number | null }[];
  }[];
  t.equal(plan!.seed, 4, '--seed wins over the suite');
  t.match(plan!.faults[0], { id: 'cpu-spike#0', from: 2000, to: 5000 });
  t.equal(plan!.faults[2]!.to, null);
  await writeFile(file, SUITE.replace('workers: 2', 'workers: many'));
  const bad = await runCli(['run', file, '--dry-run'], { timeout: 20_000 });
  t.equal(bad.exitCode, 2);
  t.match(
    String(bad.stderr),
    /faults\[0\]\.workers: expected a positive number of busy processes, got "many"/,
  );
});

t.test('--dry-run of a remote target names its URL and its observers', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-dry-'));
  const file = join(dir, 'far.yaml');
  await writeFile(
    file,
    [
      'name: far',
      'target: { remote: { url: net.tcp://127.0.0.1:8808/ } }',
      'observe: { prometheus: { scrape: http://127.0.0.1:9256/metrics, exporter: process-exporter, select: { process: orders } } }',
      'load: [{ name: steady, via: /svc, model: constant-arrival-rate, rate: 5, duration: 2s }]',
      'faults: [{ kind: command, at: 1s, run: [ssh, winhost, appcmd, recycle, apppool, /apppool.name:Orders] }]',
      'checks: { handles.noLeak: {} }',
      '',
    ].join('\n'),
  );
  const r = await runCli(['run', file, '--dry-run', '--out', join(dir, 'runs')], { timeout: 20_000 });
  t.equal(r.exitCode, 0, String(r.stderr));
  const text = String(r.stdout);
  t.match(text, /remote: net\.tcp:\/\/127\.0\.0\.1:8808\/ \(neither started nor stopped by the harness\)/);
  t.match(
    text,
    /observers:\n\s+prometheus: scrape http:\/\/127\.0\.0\.1:9256\/metrics \(process-exporter\) for orders: handles, rss, cpu, threads, processes/,
  );
  t.match(
    text,
    /command#0\s+at 1s \(instant\)\s+run ssh winhost appcmd recycle apppool \/apppool\.name:Orders/,
  );
  t.match(text, /handles\.noLeak: tolerance 2, settle 3s, warm-up 10 session\(s\) per load/);
});
