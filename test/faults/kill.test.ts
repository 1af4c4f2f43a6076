import t from 'tap';
import { kill, type KillSpec } from '../../faults/kill.ts';
import {
  contextFor,
  recordOf,
  hostTarget,
  problemsOf,
  programTarget,
  sessionOpens,
  specsOf,
  startTarget,
  stateOf,
  suiteWith,
  waitUntil,
  workerOf,
} from './fault-helpers.ts';
import { history } from '../helpers/history.ts';

// A program with two children of its own, which it outlives.
const family = programTarget(
  `[node, -e, "for (const _ of [1, 2]) require('child_process').spawn('sleep', ['30']); setInterval(() => {}, 1000)", '{port}']`,
);

t.test('killing a host worker with restart recycles its path: a new worker serves it', async (t) => {
  const suite = suiteWith(hostTarget(), ['{ kind: kill, at: 0s, path: /orders, restart: true }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const old = await workerOf(started.target);
  const active = await kill.inject(specsOf(suite)[0] as KillSpec, ctx);
  t.same(active.killed, [{ pid: old, role: 'worker /orders', gone: true }]);
  t.equal(await stateOf(old), 'gone');
  const fresh = active.restarted[0]!.pid;
  t.not(fresh, old);
  t.equal(await workerOf(started.target), fresh, 'the host routes /orders to the new worker');
  t.ok((await sessionOpens(started.target, '/orders', 2000)).ok, 'and it serves sessions');
  t.same(kill.present(recordOf(ctx, specsOf(suite)[0]!), history()).sentences, [
    `Sent SIGKILL to 1 process, at 1.0s: worker /orders pid ${old}.`,
    `Restarted /orders: new pid ${fresh}.`,
  ]);
});

t.test('killing a host worker without restart leaves its path without a worker', async (t) => {
  const suite = suiteWith(hostTarget(), ['{ kind: kill, at: 0s, path: /orders }']);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const old = await workerOf(started.target);
  await kill.inject(specsOf(suite)[0] as KillSpec, ctx);
  t.equal(await stateOf(old), 'gone');
  const r = await sessionOpens(started.target, '/orders', 1000);
  t.equal(r.ok, false);
  t.match(r.failure, /fault/, `a new session: ${r.failure}`);
});

t.test(
  'killing a program with restart starts it again on the same port, and the target follows',
  async (t) => {
    const suite = suiteWith(programTarget(), ['{ kind: kill, at: 0s, restart: true, restartAfter: 300ms }']);
    const started = await startTarget(t, suite);
    t.ok(
      await waitUntil(async () => (await sessionOpens(started.target, '/svc')).ok, 10_000),
      'the program is up',
    );
    const ctx = contextFor(started);
    const old = started.target.pid;
    let exited = false;
    void started.target.exited.then(() => (exited = true));
    const active = await kill.inject(specsOf(suite)[0] as KillSpec, ctx);
    t.equal(await stateOf(old), 'gone');
    const fresh = active.restarted[0]!.pid;
    t.not(fresh, old);
    t.equal(started.target.pid, fresh, "the target's pid follows the restart");
    t.ok((await started.target.pids()).includes(fresh));
    const note = ctx.notes[0]!;
    t.ok((note['restarted'] as { downMs: number }).downMs >= 250, 'it waited restartAfter');
    t.not(note['listening'], false, 'the program listened again');
    t.ok((await sessionOpens(started.target, '/svc')).ok);
    t.equal(exited, false, 'a restart is not the target exiting');
    t.equal(started.target.running(), true);
    t.match(kill.present(recordOf(ctx, specsOf(suite)[0]!), history()).sentences, [
      `Sent SIGKILL to 1 process, at 1.0s: process pid ${old}.`,
      new RegExp(
        `^The program \\(pid ${old}\\) died of SIGKILL; it was started again \\(pid ${fresh}\\) [\\d.]+m?s later, and listened [\\d.]+m?s after its start\\.$`,
      ),
    ]);
  },
);

t.test("all of a program's children can be killed, the program itself left running", async (t) => {
  const suite = suiteWith(family, ['{ kind: kill, at: 0s, select: workers, mode: all, signal: SIGTERM }']);
  const started = await startTarget(t, suite);
  await waitUntil(async () => (await started.target.pids()).length === 3, 3000);
  const ctx = contextFor(started);
  const active = await kill.inject(specsOf(suite)[0] as KillSpec, ctx);
  t.equal(active.killed.length, 2);
  for (const k of active.killed) t.equal(await stateOf(k.pid), 'gone', `child ${k.pid} is gone`);
  t.not(await stateOf(started.target.pid), 'gone', 'the root still runs');
});

t.test('a restart that cannot happen is refused in the suite words', async (t) => {
  t.match(
    problemsOf(hostTarget(), ['{ kind: kill, at: 0s, select: root, restart: true }']).join('\n'),
    /the listener cannot be restarted in place: select workers/,
  );
  t.match(
    problemsOf(family, ['{ kind: kill, at: 0s, select: workers, restart: true }']).join('\n'),
    /restart starts the program again; it goes with select: root/,
  );
  t.match(
    problemsOf(family, ['{ kind: kill, at: 0s, restartAfter: 1s }']).join('\n'),
    /faults\[0\]\.restartAfter: expected restartAfter only with restart: true/,
  );
});
