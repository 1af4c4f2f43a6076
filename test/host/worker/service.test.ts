import t from 'tap';
import { type Correlator, type NetTcpSession } from '../../../clients/nettcp/index.ts';
import {
  decodeOpReply,
  encodeOpRequest,
  encodeRecord,
  encodeRecords,
  opMessageId,
  OPS_CONTENT_TYPE,
  sessionPreamble,
} from '../../../protocol/index.ts';
import { exchange } from '../../helpers/raw.ts';
import { openOps as open, sleep, status, waitUntil, withHost } from '../helpers/host.ts';

const byId: Correlator = { requestKey: (p) => opMessageId(p)!, replyKey: (p) => opMessageId(p) };
const sleepCall = (s: NetTcpSession, id: number, ms: number) =>
  s.call(encodeOpRequest({ id, op: 'sleep', arg: ms, payload: Buffer.alloc(0) }), { timeoutMs: 10_000 });

const startup = { mode: 'startup' as const };

t.test('sessions over maxConcurrentSessions wait for their Ack until one ends', async (t) => {
  const h = await withHost(t, {
    services: [
      { path: '/s', activation: startup, throttle: { maxConcurrentSessions: 2, maxConcurrentCalls: 16 } },
    ],
  });
  const a = await open(h, '/s');
  const b = await open(h, '/s');
  t.ok(a.ok && b.ok, 'two sessions open');
  const events: string[] = [];
  const third = open(h, '/s', { openTimeoutMs: 10_000 }).then((r) => (events.push('third open'), r));
  t.ok(
    await waitUntil(async () => (await status(h)).workers[0]?.report?.waiting === 1, 5000),
    'the third waits in the worker',
  );
  await sleep(200);
  t.same(events, [], 'no Ack while both slots are held');
  if (a.ok) await a.session.end();
  events.push('first ended');
  const r = await third;
  t.same(events, ['first ended', 'third open'], 'the Ack came after a slot was freed');
  t.ok(r.ok);
  if (r.ok) await r.session.end();
  if (b.ok) await b.session.end();
});

t.test(
  'calls over maxConcurrentCalls queue in order, and hand-offs wait while calls are saturated',
  async (t) => {
    const h = await withHost(t, {
      services: [
        { path: '/c', activation: startup, throttle: { maxConcurrentCalls: 2, maxConcurrentSessions: 10 } },
      ],
    });
    const r = await open(h, '/c', { correlate: byId });
    t.ok(r.ok);
    if (!r.ok) return;
    const done: number[] = [];
    const calls = [1, 2, 3, 4].map((id) => sleepCall(r.session, id, 400).then((c) => (done.push(id), c)));
    t.ok(
      await waitUntil(async () => {
        const w = (await status(h)).workers[0]?.report;
        return w?.calls.active === 2 && w.calls.queued === 2;
      }, 5000),
      'two calls run, two queue',
    );
    const late = open(h, '/c', { openTimeoutMs: 10_000 }).then((o) => (done.push(0), o));
    const results = await Promise.all(calls);
    t.ok(
      results.every((c) => c.ok && decodeOpReply(c.reply)?.ok === true),
      'every call answered',
    );
    t.same(done.slice(0, 2).sort(), [1, 2], 'the first two finished first');
    const l = await late;
    t.ok(l.ok);
    // Slots freed by the first two went straight to the queued calls; only the third's end freed one.
    t.ok(
      done.indexOf(0) >= 3,
      `the new session was taken only once a call slot was free (${done.join(', ')})`,
    );
    if (l.ok) await l.session.end();
    await r.session.end();
  },
);

t.test('set-latency adds latency to an operation of the running worker', async (t) => {
  const h = await withHost(t, { services: [{ path: '/l', activation: startup }] });
  await h.request({ command: 'set-latency', path: '/l', operation: 'echo', ms: 300 });
  const r = await open(h, '/l');
  t.ok(r.ok);
  if (!r.ok) return;
  const c = await r.session.call(encodeOpRequest({ id: 1, op: 'echo', arg: 0, payload: Buffer.alloc(4) }));
  t.ok(c.ok && c.ms >= 290, `the call took at least the latency (${c.ms.toFixed(0)}ms)`);
  t.match((await status(h)).workers[0]?.report?.latencies, { echo: 300 });
  await r.session.end();
});

t.test('the server End waits for replies still owed on the session', async (t) => {
  const h = await withHost(t, { services: [{ path: '/e', activation: startup }] });
  const x = await exchange(
    h.port,
    [
      encodeRecords([
        ...sessionPreamble(h.url('/e'), OPS_CONTENT_TYPE),
        {
          type: 'sized-envelope',
          payload: encodeOpRequest({ id: 1, op: 'sleep', arg: 200, payload: Buffer.alloc(0) }),
        },
        { type: 'sized-envelope', payload: Buffer.from('plain') },
      ]),
      encodeRecord({ type: 'end' }),
    ],
    3000,
  );
  t.same(
    x.records.map((r) => r.type),
    ['preamble-ack', 'sized-envelope', 'sized-envelope', 'end'],
  );
  // No FIN after End: the worker keeps the connection for the client's next session.
  t.equal(x.ended, 'open');
});

const hooked = (defects: 'serial-extensions'[]) => ({
  defects,
  services: [{ path: '/h', activation: startup, preDispatchHook: { latencyMs: 300 } }],
});

// Makes four calls at once on one session; returns when each finished (ms from the first start).
const fourAtOnce = async (s: NetTcpSession): Promise<number[]> => {
  const t0 = performance.now();
  return Promise.all(
    [1, 2, 3, 4].map(async (id) => {
      const c = await s.call(encodeOpRequest({ id, op: 'echo', arg: 0, payload: Buffer.alloc(8) }), {
        timeoutMs: 10_000,
      });
      if (!c.ok) throw new Error(`call ${id} failed`);
      return performance.now() - t0;
    }),
  );
};

t.test('serial-extensions: the pre-dispatch hook runs one call at a time', async (t) => {
  const h = await withHost(t, hooked(['serial-extensions']));
  const r = await open(h, '/h', { correlate: byId });
  t.ok(r.ok);
  if (!r.ok) return;
  const done = (await fourAtOnce(r.session)).sort((a, b) => a - b);
  t.equal((await status(h)).workers[0]?.report?.hooks.peak, 1, 'never more than one hook at once');
  const gaps = done.slice(1).map((d, i) => d - done[i]!);
  t.ok(
    gaps.every((g) => g >= 250),
    `calls finished one hook latency apart (${gaps.map((g) => g.toFixed(0)).join(', ')}ms)`,
  );
  await r.session.end();
});

t.test('without the defect concurrent calls run their hooks together', async (t) => {
  const h = await withHost(t, hooked([]));
  const r = await open(h, '/h', { correlate: byId });
  t.ok(r.ok);
  if (!r.ok) return;
  await fourAtOnce(r.session);
  t.equal((await status(h)).workers[0]?.report?.hooks.peak, 4, 'all four hooks ran at once');
  await r.session.end();
});

t.test('an activation cut short by unregistration does not complete the next one early', async (t) => {
  // The first activation (1700ms) outlasts dispatchTimeout (1000ms) and is cut short; a second one
  // (3000ms) starts at once. Were the first one's timer to count, the worker would activate at 1700ms
  // and take the second connection in time.
  const h = await withHost(t, {
    sharing: { dispatchTimeoutMs: 1000 },
    services: [{ path: '/a', activation: { mode: 'on-demand', delayMs: 1700 } }],
  });
  const first = open(h, '/a');
  await h.waitFor((l) => l.event === 'worker-start');
  await h.request({ command: 'set-activation-delay', path: '/a', ms: 3000 });
  t.match(await first, { ok: false, failure: { fault: 'ConnectionDispatchFailed' } });
  const second = await open(h, '/a', { openTimeoutMs: 5000 });
  t.match(
    second,
    { ok: false, failure: { fault: 'ConnectionDispatchFailed' } },
    'the second waited for its own activation',
  );
  t.notOk(
    h.lines.some((l) => l.event === 'worker-activated'),
    'no activation completed',
  );
});
