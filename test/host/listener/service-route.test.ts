import t from 'tap';
import type { SpawnedHost } from '../../../host/spawn.ts';
import { isAlive, open, openSoap, sleep, status, waitUntil, withHost } from '../helpers/host.ts';

type Recycled = { recycled: { path: string; mode: string; oldPid: number | null; newPid: number }[] };

const service = (extra: object = {}) => ({
  path: '/o',
  activation: { mode: 'startup' as const, delayMs: 300 },
  drainTimeoutMs: 10_000,
  ...extra,
});

// Opens and ends sessions one after another until `until` settles; returns how many failed and why.
const keepOpening = async (h: SpawnedHost, until: Promise<unknown>) => {
  let settled = false;
  void until.finally(() => (settled = true));
  const failures: string[] = [];
  let opened = 0;
  while (!settled) {
    const r = await open(h, '/o', { openTimeoutMs: 5000 });
    if (r.ok) {
      opened++;
      await r.session.end();
    } else failures.push(`${r.failure.kind} ${JSON.stringify(r.failure)}`);
    await sleep(20);
  }
  return { opened, failures };
};

t.test('an overlapped recycle drops no session in flight and refuses no new one', async (t) => {
  const h = await withHost(t, { services: [service()] });
  const a = await openSoap(h, '/o');
  t.ok(a.ok, 'a session on the old worker');
  if (!a.ok) return;
  const oldPid = (await status(h)).routes[0]!.workerPid!;
  const recycle = h.request<Recycled>({ command: 'recycle', path: '/o', mode: 'overlapped' });
  const during = await keepOpening(h, recycle);
  const { recycled } = await recycle;
  t.match(recycled, [{ path: '/o', mode: 'overlapped', oldPid }]);
  t.same(during.failures, [], `no session opened during the recycle failed (${during.opened} opened)`);
  t.match(
    await a.call('Echo', { text: 'still here' }),
    { kind: 'reply', result: 'still here' },
    'the session in flight still answers',
  );
  t.ok(await isAlive(oldPid), 'the old worker drains while its session is open');
  const before = Math.max(...h.lines.filter((l) => l.event === 'dispatch').map((l) => l.id as number));
  const b = await open(h, '/o');
  t.ok(b.ok, 'a new session after the recycle');
  const handed = await h.waitFor((l) => l.event === 'dispatch' && (l.id as number) > before);
  t.equal(handed.pid, recycled[0]!.newPid, 'new sessions go to the new worker');
  if (b.ok) await b.session.end();
  t.match(await a.session.end(), { ok: true }, 'the old session ends cleanly');
  const exit = await h.waitFor((l) => l.event === 'worker-exit' && l.pid === oldPid);
  t.match(exit, { expected: true, code: 0 }, 'the old worker exits once drained');
  t.equal((await status(h)).listener.accepting, true);
});

t.test('a stop-start recycle leaves a gap: a new session waits until the old worker is gone', async (t) => {
  const h = await withHost(t, { services: [service()] });
  const a = await open(h, '/o');
  t.ok(a.ok);
  if (!a.ok) return;
  const oldPid = (await status(h)).routes[0]!.workerPid!;
  const order: string[] = [];
  const recycle = h.request<Recycled>({ command: 'recycle', path: '/o', mode: 'stop-start' });
  await h.waitFor((l) => l.event === 'worker-drain' && l.pid === oldPid);
  const c = open(h, '/o', { openTimeoutMs: 10_000 }).then((r) => (order.push('new session open'), r));
  t.ok(
    await waitUntil(async () => (await status(h)).routes[0]!.state === 'recycling', 2000),
    'the route is in its gap',
  );
  await sleep(200);
  order.push('old session ending');
  await a.session.end();
  const r = await c;
  t.same(order, ['old session ending', 'new session open'], 'the new session waited out the gap');
  t.ok(r.ok);
  const { recycled } = await recycle;
  t.match(recycled, [{ mode: 'stop-start', oldPid }]);
  const exitAt = h.lines.findIndex((l) => l.event === 'worker-exit' && l.pid === oldPid);
  const startAt = h.lines.findIndex((l) => l.event === 'worker-start' && l.pid === recycled[0]!.newPid);
  t.ok(exitAt >= 0 && exitAt < startAt, 'the new worker started after the old one exited');
  if (r.ok) await r.session.end();
});

t.test('an overlapped recycle whose new worker fails to activate keeps the old one registered', async (t) => {
  const h = await withHost(t, { services: [service()] });
  const oldPid = (await status(h)).routes[0]!.workerPid;
  await h.request({ command: 'fail-activation', path: '/o' });
  await t.rejects(h.request({ command: 'recycle', path: '/o', mode: 'overlapped' }), {
    code: 'HOST_ACTIVATION_FAILED',
  });
  t.equal((await status(h)).routes[0]!.workerPid, oldPid);
  const r = await open(h, '/o');
  t.ok(r.ok, 'still served by the old worker');
  if (r.ok) await r.session.end();
});

t.test(
  'overlapped-recycle-race: after an overlapped recycle the listener stops taking connections',
  async (t) => {
    const h = await withHost(t, {
      sharing: { listenBacklog: 50 },
      services: [service()],
      defects: ['overlapped-recycle-race'],
    });
    const a = await openSoap(h, '/o');
    t.ok(a.ok);
    if (!a.ok) return;
    await h.request({ command: 'recycle', path: '/o', mode: 'overlapped' });
    const late = await open(h, '/o', { openTimeoutMs: 800 });
    t.match(
      late,
      { ok: false, failure: { kind: 'timeout', stage: 'preamble' } },
      'a new client times out in the preamble',
    );
    const s = await status(h);
    t.equal(s.listener.accepting, false, 'the listener no longer takes connections');
    t.ok(s.listener.queued >= 1, 'connections sit in the accept queue, unread');
    t.match(
      await a.call('Echo', { text: 'in flight' }),
      { kind: 'reply', result: 'in flight' },
      'a session already handed off is unaffected',
    );
    await a.session.end();
    const again = await open(h, '/o', { openTimeoutMs: 500 });
    t.match(again, { ok: false, failure: { kind: 'timeout' } }, 'it stays that way');
  },
);

t.test('without the defect the same recycle leaves the listener taking connections', async (t) => {
  const h = await withHost(t, { services: [service()] });
  await h.request({ command: 'recycle', path: '/o', mode: 'overlapped' });
  const late = await open(h, '/o', { openTimeoutMs: 2000 });
  t.ok(late.ok, 'a new client is served');
  if (late.ok) await late.session.end();
  t.equal((await status(h)).listener.accepting, true);
});

t.test(
  'recycle without a path recycles every service; one that disallows overlap goes stop-start',
  async (t) => {
    const h = await withHost(t, {
      services: [
        service({ overlappedRecycle: false }),
        { path: '/p', activation: { mode: 'startup' as const } },
      ],
    });
    const { recycled } = await h.request<Recycled>({ command: 'recycle', mode: 'overlapped' });
    t.match(
      recycled.sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: '/o', mode: 'stop-start' },
        { path: '/p', mode: 'overlapped' },
      ],
    );
  },
);
