import t from 'tap';
import { pause, type PauseSpec } from '../../faults/pause.ts';
import { countFor } from '../../faults/select.ts';
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

// A program with three children of its own (the selection's workers).
const family = programTarget("[sh, -c, 'sleep 30 & sleep 30 & sleep 30 & wait', sh, '{port}']");

t.test('pausing a host worker stops it (state T) and new sessions wait; heal continues it', async (t) => {
  const suite = suiteWith(hostTarget(), ['{ kind: pause, at: 0s, duration: 2s, path: /orders }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const worker = await workerOf(started.target);
  const active = await pause.inject(specsOf(suite)[0] as PauseSpec, ctx);
  t.same(
    active.processes.map((p) => p.pid),
    [worker],
    'the worker of /orders was chosen',
  );
  t.equal(await stateOf(worker), 'T', 'stopped');
  t.same(ctx.notes[0]!['paused'], [{ pid: worker, role: 'worker /orders', state: 'T' }]);
  const during = await sessionOpens(started.target, '/orders', 500);
  t.equal(during.ok, false, `a session while paused: ${during.failure ?? 'opened'}`);
  await pause.heal(active, ctx);
  t.not(await stateOf(worker), 'T', 'running again');
  t.equal(ctx.notes.at(-1)!['stillStopped'], 0);
  t.ok(
    await waitUntil(async () => (await sessionOpens(started.target, '/orders')).ok, 5000),
    'sessions open again',
  );
  const view = pause.present(recordOf(ctx, specsOf(suite)[0]!));
  t.match(view.sentences, [
    'Stopped 1 process with SIGSTOP, at 1.0s.',
    /^Continued them with SIGCONT after [\d.]+m?s; none was left stopped\.$/,
  ]);
  t.match(view.tables[0], {
    columns: ['pid', 'role', 'after SIGSTOP', 'after SIGCONT'],
    rows: [[String(worker), 'worker /orders', 'stopped', /^[^T]$/]],
  });
});

t.test('a duty cycle alternates stopped and running, and ends running', async (t) => {
  const suite = suiteWith(programTarget(), [
    '{ kind: pause, at: 0s, duration: 2s, select: root, cycle: { stopped: 150ms, running: 150ms } }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const pid = started.target.pid;
  const active = await pause.inject(specsOf(suite)[0] as PauseSpec, ctx);
  const seen = new Set<string>();
  const until = Date.now() + 1200;
  while (Date.now() < until) {
    seen.add((await stateOf(pid)) === 'T' ? 'stopped' : 'running');
    await sleep(20);
  }
  t.ok(seen.has('stopped') && seen.has('running'), `seen: ${[...seen].join(', ')}`);
  await pause.heal(active, ctx);
  t.not(await stateOf(pid), 'T');
  t.ok((ctx.notes.at(-1)!['cycleSwitches'] as number) >= 3, 'it switched several times');
});

t.test('fixed chooses that many of the workers, the same ones for the same seed', async (t) => {
  const suite = suiteWith(family, [
    '{ kind: pause, at: 0s, duration: 1s, select: workers, mode: fixed, value: 2 }',
  ]);
  const started = await startTarget(t, suite);
  await waitUntil(async () => (await started.target.pids()).length === 4, 3000);
  const children = (await started.target.pids())
    .filter((p) => p !== started.target.pid)
    .sort((a, b) => a - b);
  t.equal(children.length, 3);
  const spec = specsOf(suite)[0] as PauseSpec;
  const picks: number[][] = [];
  for (let i = 0; i < 2; i++) {
    const ctx = contextFor(started, 11);
    const active = await pause.inject(spec, ctx);
    const stopped = [];
    for (const c of children) if ((await stateOf(c)) === 'T') stopped.push(c);
    t.equal(stopped.length, 2, 'two of the three children are stopped');
    t.equal((await stateOf(started.target.pid)) === 'T', false, 'the root is not');
    picks.push(active.processes.map((p) => p.pid).sort((a, b) => a - b));
    await pause.heal(active, ctx);
    for (const c of children) t.not(await stateOf(c), 'T');
  }
  t.same(picks[0], picks[1], 'the same seed chose the same processes');
});

t.test('modes count like Chaos Mesh', async (t) => {
  const r = () => 0.99;
  t.equal(countFor({ mode: 'one' }, 5, r), 1);
  t.equal(countFor({ mode: 'all' }, 5, r), 5);
  t.equal(countFor({ mode: 'fixed', value: 3 }, 5, r), 3);
  t.equal(countFor({ mode: 'fixed', value: 9 }, 5, r), 5);
  t.equal(countFor({ mode: 'fixed-percent', value: 50 }, 5, r), 2);
  t.equal(countFor({ mode: 'fixed-percent', value: 1 }, 5, r), 1, 'at least one');
  t.equal(countFor({ mode: 'random-max-percent', value: 60 }, 5, r), 3);
  t.equal(
    countFor({ mode: 'random-max-percent', value: 60 }, 5, () => 0),
    0,
    'it may choose none',
  );
});

t.test('selection fields are checked against the mode and the target', async (t) => {
  t.match(
    problemsOf(programTarget(), ['{ kind: pause, at: 0s, duration: 1s, mode: fixed }']).join('\n'),
    /faults\[0\]\.value: expected a value with mode fixed/,
  );
  t.match(
    problemsOf(programTarget(), ['{ kind: pause, at: 0s, duration: 1s, path: /orders }']).join('\n'),
    /path chooses a worker of the reference host/,
  );
  t.match(
    problemsOf(hostTarget(), ['{ kind: pause, at: 0s, duration: 1s, path: /nope }']).join('\n'),
    /faults\[0\]\.path: expected one of the host's service paths \(\/orders\), got "\/nope"/,
  );
  t.match(
    problemsOf(programTarget(), ['{ kind: pause, at: 0s }']).join('\n'),
    /faults\[0\]\.duration: expected a positive duration/,
  );
});

t.test('recover continues a process a crashed run left stopped, and only that very process', async (t) => {
  const suite = suiteWith(programTarget(), ['{ kind: pause, at: 0s, duration: 5s, select: root }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await pause.inject(specsOf(suite)[0] as PauseSpec, ctx);
  const pid = started.target.pid;
  t.equal(await stateOf(pid), 'T');
  // The same pid with another start time is another process: left alone.
  const other = { ...active, processes: active.processes.map((p) => ({ ...p, starttime: p.starttime + 1 })) };
  t.same(await pause.recover(other), []);
  t.equal(await stateOf(pid), 'T');
  const done = await pause.recover(JSON.parse(JSON.stringify(active)) as typeof active);
  t.equal(done.length, 1);
  t.match(done[0], new RegExp(`continued pid ${pid}`));
  t.not(await stateOf(pid), 'T');
  await pause.heal(active, ctx);
});
