import t from 'tap';
import { recycle, type RecycleSpec } from '../../faults/recycle.ts';
import { timeline } from '../../model/timeline.ts';
import { history } from '../helpers/history.ts';
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

t.test('a recycle reads as sentences: what it replaced, what it refused, and what followed', async (t) => {
  const log = (at: number, data: Record<string, unknown>) => ({
    t: at,
    kind: 'log' as const,
    level: 'info' as const,
    source: 'target',
    message: `host ${String(data['event'])}`,
    data,
  });
  const ev = (at: number, type: 'intent' | 'inject' | 'heal' | 'note', detail?: Record<string, unknown>) => ({
    t: at,
    kind: 'fault' as const,
    type,
    id: 'recycle#0',
    fault: 'recycle',
    label: 'overlapped recycle of /orders',
    ...(detail === undefined ? {} : { detail }),
  });
  const h = history(
    ev(7088, 'intent', { spec: { kind: 'recycle', at: 3000, mode: 'overlapped', path: '/orders' } }),
    ev(8718, 'note', {
      recycled: [{ path: '/orders', mode: 'overlapped', oldPid: 5059, newPid: 5245 }],
      refusedDuring: {},
    }),
    ev(8735, 'note', { pidsBefore: [4987, 5059], pidsAfter: [4987, 5059, 5245] }),
    ev(8741, 'inject'),
    ev(8742, 'heal'),
    log(8836, { event: 'worker-exit', pid: 5059, code: 0 }),
    ...Array.from({ length: 442 }, (_, i) =>
      log(8900 + i * 10, { event: 'refused', fault: null, reason: 'listenBacklog' }),
    ),
  );
  const r = timeline(h).faultRecords[0]!;
  t.same(recycle.present(r, h).sentences, [
    'Recycled /orders (overlapped): worker pid 5059 replaced by pid 5245, issued at 7.1s, took effect at 8.7s (1.7s later).',
    'No connection was refused while it recycled.',
    'Target processes 4987, 5059 before, 4987, 5059, 5245 after (new 5245).',
    'The old worker (pid 5059) exited at 8.8s.',
    'After it took effect the host refused 442 connections (listenBacklog 442), from 8.9s to 13.3s.',
  ]);
});
