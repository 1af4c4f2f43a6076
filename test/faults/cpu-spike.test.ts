import { readFile } from 'node:fs/promises';
import t from 'tap';
import { cpuSpike } from '../../faults/cpu-spike.ts';
import type { CpuSpikeSpec } from '../../faults/cpu-spike.ts';
import { readStat } from '../../harness/observe/proc.ts';
import {
  contextFor,
  recordOf,
  hostTarget,
  problemsOf,
  programTarget,
  sessionOpens,
  sleep,
  specsOf,
  startTarget,
  stateOf,
  suiteWith,
  waitUntil,
  workerOf,
} from './fault-helpers.ts';

const ticks = async (pid: number): Promise<number> => {
  const s = await readStat(pid);
  return s === undefined ? 0 : s.utime + s.stime;
};

t.test('a system spike keeps its busy processes on a CPU, records the load it got, and heals', async (t) => {
  const suite = suiteWith(programTarget(), ['{ kind: cpu-spike, at: 0s, duration: 3s, workers: 2 }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const spec = specsOf(suite)[0] as CpuSpikeSpec;
  const active = await cpuSpike.inject(spec, ctx);
  t.equal(active.scope, 'system');
  const pids = active.scope === 'system' ? active.processes.map((p) => p.pid) : [];
  t.equal(pids.length, 2, 'two busy processes');
  const before = await Promise.all(pids.map(ticks));
  await sleep(1000);
  const after = await Promise.all(pids.map(ticks));
  // 100 ticks a second is a whole CPU. A busy machine shares its CPUs (with a load of 11 on 2 cores a
  // spinner gets about a sixth of one), so the floor is 5%: far above what an idle process uses, far below
  // what a spinner gets even then.
  for (const [i, pid] of pids.entries())
    t.ok(after[i]! - before[i]! >= 5, `busy process ${pid} used ${after[i]! - before[i]!} ticks in 1s`);
  await cpuSpike.heal(active, ctx);
  for (const pid of pids) t.equal(await stateOf(pid), 'gone', `busy process ${pid} is gone after heal`);
  const achieved = ctx.notes.at(-1)!['achieved'] as { cpuPercent: number; ended: string }[];
  t.equal(achieved.length, 2);
  for (const a of achieved) {
    t.ok(a.cpuPercent >= 5, `measured ${a.cpuPercent}% of a CPU`);
    t.equal(a.ended, 'stopped', 'heal stopped it');
  }
  t.ok(typeof ctx.notes.at(-1)!['machineBusyPercent'] === 'number', 'the machine load is recorded');
  t.equal(ctx.notes.at(-1)!['leftRunning'], 0);
  const view = cpuSpike.present(recordOf(ctx, spec));
  t.match(view.sentences, [
    `Started 2 busy processes (pid ${pids.join(', ')}) at 100% each, at 1.0s.`,
    /^The machine's \d+ CPUs were [\d.]+% busy meanwhile; every busy process ended\.$/,
  ]);
  t.match(view.tables[0], {
    columns: ['pid', 'CPU', 'CPU time', 'ended'],
    rows: pids.map((p) => [String(p), /%$/, /ms$/, 'stopped']),
  });
});

t.test('busy processes pinned to a CPU at a load percentage stay on it and below full load', async (t) => {
  const suite = suiteWith(programTarget(), [
    '{ kind: cpu-spike, at: 0s, duration: 2s, workers: 1, load: 30, cpus: [0] }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await cpuSpike.inject(specsOf(suite)[0] as CpuSpikeSpec, ctx);
  const pid = active.scope === 'system' ? active.processes[0]!.pid : 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  t.match(status, /^Cpus_allowed_list:\s+0$/m, 'pinned to CPU 0');
  await sleep(1500);
  await cpuSpike.heal(active, ctx);
  const [a] = ctx.notes.at(-1)!['achieved'] as { cpuPercent: number }[];
  t.ok(a!.cpuPercent > 5 && a!.cpuPercent < 70, `a 30% load measured ${a!.cpuPercent}%`);
});

t.test('busy processes end on their own when nobody heals them', async (t) => {
  const suite = suiteWith(programTarget(), ['{ kind: cpu-spike, at: 0s, duration: 800ms, workers: 1 }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await cpuSpike.inject(specsOf(suite)[0] as CpuSpikeSpec, ctx);
  const pid = active.scope === 'system' ? active.processes[0]!.pid : 0;
  t.ok(await waitUntil(async () => (await stateOf(pid)) === 'gone', 5000), 'it exited by its own timer');
  await cpuSpike.heal(active, ctx);
  const [a] = ctx.notes.at(-1)!['achieved'] as { ended: string; cpuMs: number }[];
  t.equal(a!.ended, 'expired');
  t.ok(a!.cpuMs >= 40, `it burned ${a!.cpuMs}ms of CPU before leaving (the 5% floor above)`);
});

t.test('a spike inside a host worker blocks its event loop and is measured there', async (t) => {
  const suite = suiteWith(hostTarget(), [
    '{ kind: cpu-spike, at: 0s, duration: 1500ms, scope: target, path: /orders }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const worker = await workerOf(started.target);
  // The worker's CPU share while idle, to compare its burn with (not with a whole CPU: see above).
  const idleBefore = await ticks(worker);
  await sleep(1000);
  const idlePercent = (await ticks(worker)) - idleBefore;
  const active = await cpuSpike.inject(specsOf(suite)[0] as CpuSpikeSpec, ctx);
  // The worker cannot take a hand-off while it burns.
  const during = await sessionOpens(started.target, '/orders', 500);
  t.equal(during.ok, false, `a session during the burn: ${during.failure ?? 'opened'}`);
  await sleep(1200);
  await cpuSpike.heal(active, ctx);
  const note = ctx.notes.at(-1)!;
  t.equal(note['worker'], worker);
  const burned = note['cpuPercent'] as number;
  t.ok(burned >= 5 && burned > 3 * idlePercent, `the worker used ${burned}% of a CPU (${idlePercent}% idle)`);
  t.ok(await waitUntil(async () => (await sessionOpens(started.target, '/orders')).ok, 5000), 'healed');
});

t.test('an in-target spike is refused on a program target, in the suite words', async (t) => {
  const problems = problemsOf(programTarget(), ['{ kind: cpu-spike, at: 0s, duration: 1s, scope: target }']);
  t.match(problems.join('\n'), /faults\[0\]: scope: target burns CPU inside a reference host worker/);
  const badCpu = problemsOf(programTarget(), ['{ kind: cpu-spike, at: 0s, duration: 1s, cpus: [64] }']);
  t.match(badCpu.join('\n'), /cpus: this machine has CPUs 0 to \d+, not 64/);
  const badLoad = problemsOf(programTarget(), ['{ kind: cpu-spike, at: 0s, duration: 1s, load: 150 }']);
  t.match(badLoad.join('\n'), /faults\[0\]\.load: expected the load .*got 150 \(number\)/);
});
