import t from 'tap';
import { slowActivation, type SlowActivationSpec } from '../../faults/slow-activation.ts';
import {
  contextFor,
  hostTarget,
  problemsOf,
  programTarget,
  sessionOpens,
  specsOf,
  startTarget,
  suiteWith,
  waitUntil,
} from './fault-helpers.ts';

type Activation = { pid: number; ms: number };

// The activation time the host reported for a worker.
const activationOf = (events: Record<string, unknown>[], pid: number): number | undefined => {
  const e = events.find((x) => x['event'] === 'worker-activated' && x['pid'] === pid);
  return e === undefined ? undefined : Number(e['ms']);
};

t.test('every activation in the window takes the delay; after heal they are quick again', async (t) => {
  const suite = suiteWith(hostTarget(), [
    '{ kind: slow-activation, at: 0s, delay: 1200ms, duration: 5s, path: /orders, recycle: stop-start }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await slowActivation.inject(specsOf(suite)[0] as SlowActivationSpec, ctx);
  const [first] = ctx.notes[0]!['activations'] as Activation[];
  t.ok(first !== undefined && first.ms >= 1100, `the recycle's activation took ${first?.ms}ms`);
  // A second activation in the window is slowed too.
  const r = (await started.target.control!({ command: 'recycle', path: '/orders', mode: 'stop-start' })) as {
    recycled: { newPid: number }[];
  };
  const second = r.recycled[0]!.newPid;
  await waitUntil(() => activationOf(started.events, second) !== undefined, 2000);
  t.ok(
    activationOf(started.events, second)! >= 1100,
    `and the next took ${activationOf(started.events, second)}ms`,
  );
  await slowActivation.heal(active, ctx);
  t.equal(ctx.notes.at(-1)!['restoredDelayMs'], 0);
  t.equal((ctx.notes.at(-1)!['activations'] as Activation[]).length, 2, 'the window saw both activations');
  const after = (await started.target.control!({
    command: 'recycle',
    path: '/orders',
    mode: 'stop-start',
  })) as {
    recycled: { newPid: number }[];
  };
  const third = after.recycled[0]!.newPid;
  await waitUntil(() => activationOf(started.events, third) !== undefined, 2000);
  t.ok(
    activationOf(started.events, third)! < 800,
    `after heal it took ${activationOf(started.events, third)}ms`,
  );
});

t.test('without a duration only the next activation is slowed', async (t) => {
  const suite = suiteWith(hostTarget(), ['{ kind: slow-activation, at: 0s, delay: 1s, path: /orders }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await slowActivation.inject(specsOf(suite)[0] as SlowActivationSpec, ctx);
  await slowActivation.heal(active, ctx);
  t.equal(ctx.notes.at(-1)!['armed'], true, 'armed for the next activation');
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const r = (await started.target.control!({
      command: 'recycle',
      path: '/orders',
      mode: 'stop-start',
    })) as {
      recycled: { newPid: number }[];
    };
    const pid = r.recycled[0]!.newPid;
    await waitUntil(() => activationOf(started.events, pid) !== undefined, 2000);
    times.push(activationOf(started.events, pid)!);
  }
  t.ok(times[0]! >= 900, `the next activation took ${times[0]}ms`);
  t.ok(times[1]! < 700, `the one after took ${times[1]}ms`);
});

t.test('a program is slowed by a delayed restart on the same port', async (t) => {
  const suite = suiteWith(programTarget(), ['{ kind: slow-activation, at: 0s, delay: 1s }']);
  const started = await startTarget(t, suite);
  t.ok(
    await waitUntil(async () => (await sessionOpens(started.target, '/svc')).ok, 10_000),
    'the program is up',
  );
  const ctx = contextFor(started);
  const old = started.target.pid;
  const t0 = performance.now();
  const active = await slowActivation.inject(specsOf(suite)[0] as SlowActivationSpec, ctx);
  t.ok(performance.now() - t0 >= 1000, 'the inject waited for the program to come back');
  t.equal(active.on, 'program');
  const note = ctx.notes[0]!;
  t.equal(note['oldPid'], old);
  t.not(note['newPid'], old);
  t.equal(started.target.pid, note['newPid']);
  t.ok((note['stoppedForMs'] as number) >= 950, `it stayed down ${String(note['stoppedForMs'])}ms`);
  t.ok((note['downMs'] as number) >= 1000, `until it listened again: ${String(note['downMs'])}ms`);
  t.ok((await sessionOpens(started.target, '/svc', 2000)).ok, 'it serves sessions on the same port');
  await slowActivation.heal(active, ctx);
});

t.test('fields that do not fit the target are refused', async (t) => {
  t.match(
    problemsOf(programTarget(), ['{ kind: slow-activation, at: 0s, delay: 1s, recycle: stop-start }']).join(
      '\n',
    ),
    /a program target is slowed by a delayed restart/,
  );
  t.match(
    problemsOf(hostTarget(), ['{ kind: slow-activation, at: 0s, delay: 1s }']).join('\n'),
    /the host slows one service: name its path/,
  );
});
