import t from 'tap';
import { openSession, resolveNetTcpUrl } from '../../clients/nettcp/index.ts';
import { throttleSaturation, type ThrottleSaturationSpec } from '../../faults/throttle-saturation.ts';
import { readFds } from '../../harness/observe/proc.ts';
import { encodeOpRequest, OPS_CONTENT_TYPE } from '../../protocol/index.ts';
import {
  contextFor,
  hostStatus,
  hostTarget,
  problemsOf,
  programTarget,
  sessionOpens,
  specsOf,
  startTarget,
  suiteWith,
  waitUntil,
} from './fault-helpers.ts';

type Counters = { active: number; queued: number; limit: number };

t.test(
  'long calls fill maxConcurrentCalls: other calls queue behind them until the window ends',
  async (t) => {
    const suite = suiteWith(hostTarget(', throttle: { maxConcurrentCalls: 3 }'), [
      '{ kind: throttle-saturation, at: 0s, duration: 2s, path: /orders, calls: 3 }',
    ]);
    const started = await startTarget(t, suite);
    const ctx = contextFor(started);
    // A session opened before the fault, whose call comes during it.
    const url = await resolveNetTcpUrl(`net.tcp://127.0.0.1:${started.target.port}/orders`);
    const open = await openSession(url, { encoding: OPS_CONTENT_TYPE });
    if (!open.ok) throw new Error('the session did not open');
    const t0 = performance.now();
    const active = await throttleSaturation.inject(specsOf(suite)[0] as ThrottleSaturationSpec, ctx);
    const note = ctx.notes[0]!;
    t.equal(note['held'], 3);
    t.same((note['worker'] as { calls: Counters }).calls, { active: 3, queued: 0, limit: 3 });
    t.equal((note['probe'] as { ok: boolean }).ok, false, 'a fresh session did not get through');
    const callStart = performance.now();
    const call = open.session.call(
      encodeOpRequest({ id: 99, op: 'echo', arg: 0, payload: new Uint8Array(8) }),
      {
        timeoutMs: 10_000,
      },
    );
    await waitUntil(
      async () => (await hostStatus(started.target)).workers[0]?.report?.calls.queued === 1,
      1000,
    );
    const queued = (await hostStatus(started.target)).workers[0]!.report!.calls;
    t.same(queued, { active: 3, queued: 1, limit: 3 }, 'the echo call is queued behind the held calls');
    const reply = await call;
    t.ok(reply.ok);
    const waited = performance.now() - callStart;
    const windowLeft = 2000 - (callStart - t0);
    t.ok(
      waited >= windowLeft - 300,
      `the echo waited ${Math.round(waited)}ms, the window had ${Math.round(windowLeft)}ms left`,
    );
    await throttleSaturation.heal(active, ctx);
    const after = ctx.notes.at(-1)!;
    t.equal((after['probe'] as { ok: boolean }).ok, true, 'after heal a fresh session gets through');
    t.ok((after['worker'] as { calls: Counters }).calls.active < 3);
    await open.session.end();
  },
);

t.test('calls past the limit are held back so nothing outlives the window', async (t) => {
  const suite = suiteWith(hostTarget(', throttle: { maxConcurrentCalls: 2 }'), [
    '{ kind: throttle-saturation, at: 0s, duration: 1s, path: /orders, calls: 5 }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await throttleSaturation.inject(specsOf(suite)[0] as ThrottleSaturationSpec, ctx);
  t.equal(ctx.notes[0]!['cappedAtLimit'], 2);
  t.equal(active.held, 2);
  await throttleSaturation.heal(active, ctx);
  t.same((ctx.notes.at(-1)!['worker'] as { calls: Counters }).calls, { active: 0, queued: 0, limit: 2 });
});

t.test('idle sessions fill maxConcurrentSessions; heal releases them', async (t) => {
  const suite = suiteWith(hostTarget(', throttle: { maxConcurrentSessions: 4 }'), [
    '{ kind: throttle-saturation, at: 0s, duration: 2s, path: /orders, sessions: 4 }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await throttleSaturation.inject(specsOf(suite)[0] as ThrottleSaturationSpec, ctx);
  const note = ctx.notes[0]!;
  t.equal(note['held'], 4);
  t.equal((note['worker'] as { sessions: number }).sessions, 4);
  t.equal((note['probe'] as { ok: boolean }).ok, false, 'a fifth session waits');
  await throttleSaturation.heal(active, ctx);
  t.ok(
    await waitUntil(async () => (await hostStatus(started.target)).workers[0]?.report?.sessions === 0, 3000),
    'the worker let every held session go',
  );
  t.ok((await sessionOpens(started.target, '/orders')).ok);
});

t.test('on a program target idle sessions are held open and released', async (t) => {
  const suite = suiteWith(programTarget(), [
    '{ kind: throttle-saturation, at: 0s, duration: 2s, sessions: 5 }',
  ]);
  const started = await startTarget(t, suite);
  t.ok(
    await waitUntil(async () => (await sessionOpens(started.target, '/')).ok, 10_000),
    'the program is up',
  );
  const sockets = async () => (await readFds(started.target.pid))?.socket ?? 0;
  await waitUntil(async () => (await sockets()) <= 2, 2000);
  const before = await sockets();
  const ctx = contextFor(started);
  const active = await throttleSaturation.inject(specsOf(suite)[0] as ThrottleSaturationSpec, ctx);
  const during = await sockets();
  t.ok(during >= before + 5, `the program holds ${during} sockets (${before} before)`);
  await throttleSaturation.heal(active, ctx);
  t.ok(await waitUntil(async () => (await sockets()) <= before, 3000), 'and lets them go after heal');
});

t.test('calls are refused on a program target, and one of calls or sessions is needed', async (t) => {
  t.match(
    problemsOf(programTarget(), ['{ kind: throttle-saturation, at: 0s, duration: 1s, calls: 2 }']).join('\n'),
    /a program target holds sessions/,
  );
  t.match(
    problemsOf(hostTarget(), ['{ kind: throttle-saturation, at: 0s, duration: 1s, path: /orders }']).join(
      '\n',
    ),
    /faults\[0\]\.calls: expected either calls .* or sessions/,
  );
});
