import t from 'tap';
import { open, openSoap, status, waitUntil, withHost } from '../helpers/host.ts';

t.test(
  'a worker killed with a hand-off in flight: ConnectionDispatchFailed, then a new activation',
  async (t) => {
    const h = await withHost(t, {
      sharing: { dispatchTimeoutMs: 10_000 },
      services: [{ path: '/d', activation: { mode: 'on-demand', delayMs: 3000 } }],
    });
    const pending = open(h, '/d', { openTimeoutMs: 10_000 });
    const registered = await h.waitFor((l) => l.event === 'worker-registered');
    await waitUntil(async () => (await status(h)).workers[0]?.inFlight === 1, 3000);
    process.kill(registered.pid as number, 'SIGKILL');
    t.match(await pending, { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } });
    t.match(await h.waitFor((l) => l.event === 'dispatch-failed'), {
      reason: 'worker-exit',
      message: /leaked/,
    });
    t.match(await h.waitFor((l) => l.event === 'worker-exit'), { signal: 'SIGKILL', expected: false });
    await h.request({ command: 'set-activation-delay', path: '/d', ms: 0 });
    const again = await open(h, '/d');
    t.ok(again.ok, 'the next connection activates a new worker');
    if (again.ok) await again.session.end();
    t.equal(h.lines.filter((l) => l.event === 'worker-start').length, 2);
  },
);

t.test('a startup worker that dies leaves its path unregistered: EndpointNotFound', async (t) => {
  const h = await withHost(t, { services: [{ path: '/s', activation: { mode: 'startup' } }] });
  const pid = (await status(h)).routes[0]!.workerPid!;
  process.kill(pid, 'SIGKILL');
  await h.waitFor((l) => l.event === 'worker-exit');
  t.match(await open(h, '/s'), { ok: false, failure: { kind: 'fault', fault: 'EndpointNotFound' } });
  t.match((await status(h)).routes, [{ state: 'unregistered', workerPid: null }]);
});

t.test('a drain that outlasts its bound aborts the sessions left and the worker exits', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/b', activation: { mode: 'startup' }, drainTimeoutMs: 300 }],
  });
  const r = await openSoap(h, '/b');
  t.ok(r.ok);
  if (!r.ok) return;
  const oldPid = (await status(h)).routes[0]!.workerPid;
  await h.request({ command: 'recycle', path: '/b', mode: 'stop-start' });
  const exit = await h.waitFor((l) => l.event === 'worker-exit' && l.pid === oldPid);
  t.match(exit, { code: 0, expected: true }, 'the old worker exited by itself');
  t.match(await r.call('Echo', { text: 'gone?' }), { kind: /^(reset|closed)$/ }, 'its session was cut off');
});

t.test(
  'a recycle whose new worker loses its registration to a timed-out hand-off fails instead of hanging',
  async (t) => {
    const h = await withHost(t, {
      sharing: { dispatchTimeoutMs: 500 },
      services: [{ path: '/r', activation: { mode: 'startup' } }],
    });
    // The next activation takes longer than a hand-off may wait.
    await h.request({ command: 'set-activation-delay', path: '/r', ms: 3000 });
    const recycling = h.request({ command: 'recycle', path: '/r', mode: 'stop-start' }).then(
      () => 'completed',
      (e: unknown) => (e as { code?: string }).code,
    );
    await h.waitFor((l) => l.event === 'worker-start' && l.reason === 'recycle');
    const client = await open(h, '/r', { openTimeoutMs: 5000 });
    t.match(client, { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } });
    t.equal(await recycling, 'HOST_ACTIVATION_FAILED');
    t.match(await h.waitFor((l) => l.event === 'recycle-failed'), {
      path: '/r',
      reason: /the new worker for \/r did not activate/,
    });
  },
);
