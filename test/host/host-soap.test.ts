// The host's knobs with SOAP sessions (host/main.ts in its own process, the project's client and SOAP
// codec): activation, recycle, pause and the listener's legacy defects act on WCF traffic as on the op
// framing.

import t from 'tap';
import { readFds, readTcpSockets } from '../../harness/observe/proc.ts';
import { openSoap, status, waitUntil, withHost } from './helpers/host.ts';

type Recycled = { recycled: { path: string; mode: string; oldPid: number | null; newPid: number }[] };

t.test('an on-demand service activates on the first SOAP session, after its activation delay', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/lazy', activation: { mode: 'on-demand', delayMs: 600 } }],
  });
  t.equal((await status(h)).workers.length, 0, 'no worker before the first session');
  const t0 = performance.now();
  const r = await openSoap(h, '/lazy', { openTimeoutMs: 10_000 });
  const ms = performance.now() - t0;
  t.ok(r.ok, 'the session opens once the worker is active');
  t.ok(ms >= 590, `the Ack waited for the activation delay (${ms.toFixed(0)}ms)`);
  t.match(await h.waitFor((l) => l.event === 'worker-start'), { path: '/lazy', reason: 'on-demand' });
  if (!r.ok) return;
  t.match(await r.call('Echo', { text: 'awake' }), { kind: 'reply', result: 'awake' });
  await r.session.end();
});

for (const mode of ['overlapped', 'stop-start'] as const) {
  t.test(
    `${mode} recycle: a SOAP call in flight completes and new sessions reach the new worker`,
    async (t) => {
      const h = await withHost(t, {
        services: [{ path: '/o', activation: { mode: 'startup' }, drainTimeoutMs: 10_000 }],
      });
      const a = await openSoap(h, '/o');
      t.ok(a.ok);
      if (!a.ok) return;
      const oldPid = (await status(h)).routes[0]!.workerPid!;
      const inFlight = a.call('Delay', { ms: 800 }, 10_000);
      await waitUntil(async () => (await status(h)).workers[0]?.report?.calls.active === 1, 5000);
      const { recycled } = await h.request<Recycled>({ command: 'recycle', path: '/o', mode });
      t.match(recycled, [{ path: '/o', mode, oldPid }]);
      t.match(await inFlight, { kind: 'reply', result: 'slept 800 ms' }, 'the call in flight was answered');
      if (mode === 'overlapped') {
        t.match(
          await a.call('Echo', { text: 'old' }),
          { kind: 'reply', result: 'old' },
          'the old worker still serves its session while it drains',
        );
      }
      const b = await openSoap(h, '/o', { openTimeoutMs: 10_000 });
      t.ok(b.ok, 'a new session after the recycle');
      if (b.ok) {
        t.match(await b.call('Echo', { text: 'new' }), { kind: 'reply', result: 'new' });
        const handed = h.lines.filter((l) => l.event === 'dispatch').at(-1);
        t.equal(handed?.pid, recycled[0]!.newPid, 'handed to the new worker');
        await b.session.end();
      }
      await a.session.end();
    },
  );
}

t.test(
  'a paused path refuses new SOAP sessions; open ones keep answering; resume serves again',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/p', activation: { mode: 'startup' } }] });
    const open = await openSoap(h, '/p');
    t.ok(open.ok);
    if (!open.ok) return;
    await h.request({ command: 'pause', path: '/p' });
    t.match(await openSoap(h, '/p'), { ok: false, failure: { kind: 'fault', fault: 'EndpointUnavailable' } });
    t.match(await open.call('Echo', { text: 'during' }), { kind: 'reply', result: 'during' });
    await h.request({ command: 'resume', path: '/p' });
    const again = await openSoap(h, '/p');
    t.ok(again.ok, 'served after resume');
    if (again.ok) {
      t.match(await again.call('Echo', { text: 'after' }), { kind: 'reply', result: 'after' });
      await again.session.end();
    }
    await open.session.end();
  },
);

t.test('overlapped-recycle-race: after an overlapped recycle new SOAP sessions time out', async (t) => {
  const h = await withHost(t, {
    defects: ['overlapped-recycle-race'],
    services: [{ path: '/o', activation: { mode: 'startup' } }],
  });
  const a = await openSoap(h, '/o');
  t.ok(a.ok);
  if (!a.ok) return;
  await h.request({ command: 'recycle', path: '/o', mode: 'overlapped' });
  t.match(
    await openSoap(h, '/o', { openTimeoutMs: 800 }),
    { ok: false, failure: { kind: 'timeout', stage: 'preamble' } },
    'a new client times out in the preamble',
  );
  t.equal((await status(h)).listener.accepting, false);
  t.match(
    await a.call('Echo', { text: 'handed off' }),
    { kind: 'reply', result: 'handed off' },
    'a session already handed off is unaffected',
  );
  await a.session.end();
});

// The worker's fd count and how many of its sockets sit in CLOSE_WAIT.
const handles = async (pid: number) => {
  const fds = (await readFds(pid))!;
  const tcp = await readTcpSockets();
  return {
    total: fds.total,
    closeWait: fds.socketInodes.filter((i) => tcp.get(i)?.state === 'CLOSE_WAIT').length,
  };
};

for (const leak of [true, false]) {
  t.test(
    `SOAP Delay calls fill maxConcurrentCalls past the dispatch timeout: ${leak ? 'with' : 'without'} leak-on-dispatch-timeout`,
    async (t) => {
      const h = await withHost(t, {
        sharing: { dispatchTimeoutMs: 400 },
        defects: leak ? ['leak-on-dispatch-timeout'] : [],
        services: [{ path: '/w', activation: { mode: 'startup' }, throttle: { maxConcurrentCalls: 1 } }],
      });
      const busy = await openSoap(h, '/w');
      t.ok(busy.ok);
      if (!busy.ok) return;
      const long = busy.call('Delay', { ms: 1500 }, 10_000);
      await waitUntil(async () => (await status(h)).workers[0]?.report?.calls.active === 1, 5000);
      const pid = (await status(h)).workers[0]!.pid;
      const base = await handles(pid);
      t.match(await openSoap(h, '/w'), {
        ok: false,
        failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' },
      });
      t.match(await h.waitFor((l) => l.event === 'dispatch-failed'), {
        reason: 'timeout',
        message: /this handle is now leaked/,
      });
      t.match(await long, { kind: 'reply', result: 'slept 1500 ms' }, 'the long call still completes');
      await busy.session.end();
      if (leak) {
        t.ok(
          await waitUntil(async () => (await status(h)).workers[0]?.report?.orphaned === 1, 5000),
          'the worker holds the abandoned socket',
        );
        t.ok(await waitUntil(async () => (await handles(pid)).closeWait === 1, 3000), 'in CLOSE_WAIT');
      } else {
        t.ok(
          await waitUntil(async () => (await handles(pid)).total <= base.total, 3000),
          'the worker is back to its fd count',
        );
        t.equal((await handles(pid)).closeWait, 0, 'no socket in CLOSE_WAIT');
        t.match((await status(h)).workers[0]?.report, { orphaned: 0 });
      }
    },
  );
}
