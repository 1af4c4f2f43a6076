import t from 'tap';
import { recycle, type RecycleSpec } from '../../faults/recycle.ts';
import {
  contextFor,
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

type Recycled = { path: string; mode: string; oldPid: number; newPid: number };

t.test('an overlapped recycle brings a new worker and refuses no session on the way', async (t) => {
  const suite = suiteWith(hostTarget(), ['{ kind: recycle, at: 0s, mode: overlapped, path: /orders }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const old = await workerOf(started.target);
  // Sessions keep opening while the recycle runs.
  let stop = false;
  const outcomes: { ok: boolean; failure?: string }[] = [];
  const traffic = (async () => {
    while (!stop) {
      outcomes.push(await sessionOpens(started.target, '/orders', 3000));
      await sleep(20);
    }
  })();
  await sleep(200);
  await recycle.inject(specsOf(suite)[0] as RecycleSpec, ctx);
  await sleep(300);
  stop = true;
  await traffic;
  const note = ctx.notes[0]!;
  const [r] = note['recycled'] as Recycled[];
  t.equal(r!.oldPid, old);
  t.not(r!.newPid, old);
  t.equal(await workerOf(started.target), r!.newPid, 'the new worker is registered');
  t.same(note['refusedDuring'], {}, 'the listener refused nothing during the recycle');
  const failed = outcomes.filter((o) => !o.ok);
  t.ok(outcomes.length >= 5, `${outcomes.length} sessions opened around the recycle`);
  t.same(failed, [], 'none of them failed');
  t.ok(await waitUntil(async () => (await stateOf(old)) === 'gone', 5000), 'the old worker drained and left');
});

t.test('a stop-start recycle of a program starts it again on its port', async (t) => {
  const suite = suiteWith(programTarget(), ['{ kind: recycle, at: 0s, mode: stop-start }']);
  const started = await startTarget(t, suite);
  t.ok(
    await waitUntil(async () => (await sessionOpens(started.target, '/svc')).ok, 10_000),
    'the program is up',
  );
  const ctx = contextFor(started);
  const old = started.target.pid;
  await recycle.inject(specsOf(suite)[0] as RecycleSpec, ctx);
  const note = ctx.notes[0]!;
  t.equal(note['oldPid'], old);
  t.equal(started.target.pid, note['newPid']);
  t.not(note['newPid'], old);
  t.equal(await stateOf(old), 'gone');
  t.ok((await sessionOpens(started.target, '/svc')).ok, 'it serves sessions again');
});

t.test('a program target is recycled one way, and never overlapped', async (t) => {
  t.match(
    problemsOf(programTarget(), ['{ kind: recycle, at: 0s, mode: overlapped }']).join('\n'),
    /overlapped and path recycle the reference host/,
  );
  t.match(
    problemsOf(programTarget(), ['{ kind: recycle, at: 0s, signal: SIGHUP, mode: stop-start }']).join('\n'),
    /a program target is recycled one way/,
  );
  t.same(problemsOf(programTarget(), ['{ kind: recycle, at: 0s, signal: SIGHUP }']), []);
});
