import t from 'tap';
import { encodeOpRequest } from '../../../protocol/index.ts';
import type { HostConfigInput } from '../../../host/config-input.ts';
import type { SpawnedHost } from '../../../host/spawn.ts';
import { readFds, readTcpSockets } from '../../../harness/observe/proc.ts';
import { open, openOps, status, waitUntil, withHost } from '../helpers/host.ts';

// The three known causes of a hand-off outlasting dispatchTimeout (PROTOCOL.md 3.2), each as a host
// configuration and what to do to the host before a client connects.
type Cause = {
  name: string;
  config: (defects: HostConfigInput['defects']) => HostConfigInput;
  provoke: (h: SpawnedHost) => Promise<void>;
};

const sharing = { dispatchTimeoutMs: 400 };
const warm = async (h: SpawnedHost, path: string): Promise<void> => {
  const r = await open(h, path);
  if (r.ok) await r.session.end();
};

const causes: Cause[] = [
  {
    name: 'a CPU spike in the worker',
    config: (defects) => ({ sharing, defects, services: [{ path: '/w', activation: { mode: 'startup' } }] }),
    provoke: async (h) => {
      await warm(h, '/w');
      // Long enough that the test's own readings before it connects (the worker's fds, /proc/net/tcp,
      // slow on a loaded machine) end well before the worker is free again.
      await h.request({ command: 'burn', path: '/w', ms: 3000 });
    },
  },
  {
    name: 'long calls filling MaxConcurrentCalls',
    config: (defects) => ({
      sharing,
      defects,
      services: [{ path: '/w', activation: { mode: 'startup' }, throttle: { maxConcurrentCalls: 1 } }],
    }),
    provoke: async (h) => {
      const r = await openOps(h, '/w');
      if (!r.ok) throw new Error('the first session did not open');
      void r.session
        .call(encodeOpRequest({ id: 1, op: 'sleep', arg: 1500, payload: Buffer.alloc(0) }), {
          timeoutMs: 10_000,
        })
        .then(() => r.session.end());
      await waitUntil(async () => (await status(h)).workers[0]?.report?.calls.active === 1, 5000);
    },
  },
  {
    name: 'a slow activation',
    config: (defects) => ({
      sharing,
      defects,
      services: [{ path: '/w', activation: { mode: 'on-demand', delayMs: 1500 } }],
    }),
    provoke: async () => {},
  },
];

// The worker's fd count and how many of its sockets sit in CLOSE_WAIT.
const handles = async (pid: number) => {
  const fds = (await readFds(pid))!;
  const tcp = await readTcpSockets();
  return {
    total: fds.total,
    closeWait: fds.socketInodes.filter((i) => tcp.get(i)?.state === 'CLOSE_WAIT').length,
  };
};

for (const cause of causes) {
  t.test(`${cause.name}: with leak-on-dispatch-timeout the worker keeps the abandoned socket`, async (t) => {
    const h = await withHost(t, cause.config(['leak-on-dispatch-timeout']));
    await cause.provoke(h);
    const worker = (await status(h)).workers[0]?.pid;
    const base = worker === undefined ? undefined : await handles(worker);
    const r = await open(h, '/w');
    t.match(r, { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } });
    const e = await h.waitFor((l) => l.event === 'dispatch-failed');
    t.match(e, { reason: 'timeout', message: /this handle is now leaked/ });
    const pid = e.pid as number;
    t.ok(
      await waitUntil(
        async () => (await status(h)).workers.find((w) => w.pid === pid)?.report?.orphaned === 1,
        8000,
      ),
      'the worker holds one orphaned socket',
    );
    t.ok(
      await waitUntil(async () => (await handles(pid)).closeWait === 1, 3000),
      'its socket sits in CLOSE_WAIT',
    );
    if (base !== undefined) t.equal((await handles(pid)).total, base.total + 1, 'one fd more than before');
  });

  t.test(`${cause.name}: without the defect the worker closes the abandoned socket`, async (t) => {
    const h = await withHost(t, cause.config([]));
    await cause.provoke(h);
    const worker = (await status(h)).workers[0]?.pid;
    const base = worker === undefined ? undefined : await handles(worker);
    const r = await open(h, '/w');
    t.match(r, { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } });
    const e = await h.waitFor((l) => l.event === 'dispatch-failed');
    const pid = e.pid as number;
    t.ok(
      await waitUntil(
        async () => (await status(h)).workers.find((w) => w.pid === pid)?.report?.state === 'inactive',
        8000,
      ),
      'the worker learned its registration was closed',
    );
    const after = await handles(pid);
    t.equal(after.closeWait, 0, 'no socket in CLOSE_WAIT');
    if (base !== undefined)
      t.ok(
        await waitUntil(async () => (await handles(pid)).total <= base.total, 3000),
        'back to its fd count',
      );
    t.match((await status(h)).workers.find((w) => w.pid === pid)?.report, { orphaned: 0 });
  });
}

t.test(
  'after a timed-out hand-off an on-demand path activates again; a startup path stays unregistered',
  async (t) => {
    const h = await withHost(t, {
      sharing,
      services: [
        { path: '/lazy', activation: { mode: 'on-demand', delayMs: 0 } },
        { path: '/boot', activation: { mode: 'startup' } },
      ],
    });
    await warm(h, '/lazy');
    for (const path of ['/lazy', '/boot']) {
      await h.request({ command: 'burn', path, ms: 1000 });
      const r = await open(h, path);
      t.match(
        r,
        { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } },
        `${path} timed out`,
      );
    }
    await waitUntil(async () => (await status(h)).workers.every((w) => w.responsive), 5000);
    const lazy = await open(h, '/lazy');
    t.ok(lazy.ok, 'the on-demand path is served after a new activation');
    if (lazy.ok) await lazy.session.end();
    t.equal(
      h.lines.filter((l) => l.event === 'worker-start' && l.path === '/lazy').length,
      1,
      'by the same worker process',
    );
    const boot = await open(h, '/boot');
    t.match(
      boot,
      { ok: false, failure: { kind: 'fault', fault: 'EndpointNotFound' } },
      'the startup path is gone',
    );
  },
);
