// A host worker answering as a WCF service: the project's client and SOAP codec against host/main.ts in
// its own process, the worker's knobs (throttles, latency, the pre-dispatch hook) applied to SOAP calls.

import t from 'tap';
import {
  createSoapCodec,
  encodeRecords,
  OPS_CONTENT_TYPE,
  sessionPreamble,
  type SoapReply,
  WSA10_FAULT_ACTION,
} from '../../../protocol/index.ts';
import type { Failure } from '../../../clients/nettcp/index.ts';
import { exchange } from '../../helpers/raw.ts';
import { open, openOps, openSoap, sleep, status, waitUntil, withHost } from '../helpers/host.ts';

const startup = { mode: 'startup' as const };

const isReply = (r: SoapReply | Failure): r is SoapReply => r.kind === 'reply' || r.kind === 'fault';

t.test(
  'Echo, Delay, Burn and Fault answer as the interop service does, RelatesTo each request',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
    const r = await openSoap(h, '/svc');
    t.ok(r.ok, 'a binary session opens');
    if (!r.ok) return;
    const text = 'x'.repeat(512);
    t.match(await r.call('Echo', { text }), { kind: 'reply', result: text });
    const started = performance.now();
    t.match(await r.call('Delay', { ms: 100 }), { kind: 'reply', result: 'slept 100 ms' });
    t.ok(performance.now() - started >= 95, 'Delay took its time');
    t.match(await r.call('Burn', { ms: 30 }), { kind: 'reply', result: 'burned 30 ms' });
    t.match(await r.call('Fault', { reason: 'boom' }), {
      kind: 'fault',
      code: 'Sender',
      subcodes: [],
      reason: 'boom',
    });
    // Replies carry the request's MessageID: many calls at once come back to their own callers.
    const many = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => r.call('Echo', { text: `n${i}` })));
    t.same(
      many.map((m) => (m.kind === 'reply' ? m.result : m.kind)),
      ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'],
    );
    t.equal(r.codec.undecodable, 0, 'every reply decoded in the session');
    t.match(await r.session.end(), { ok: true });
  },
);

t.test(
  'an unknown action or a To of another endpoint is a Sender fault and the session lives on',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
    const r = await openSoap(h, '/svc');
    t.ok(r.ok);
    if (!r.ok) return;
    t.match(await r.call('Nope'), {
      kind: 'fault',
      action: WSA10_FAULT_ACTION,
      code: 'Sender',
      subcodes: ['ActionNotSupported'],
      reason: /Action 'http:\/\/tempuri.org\/IInteropService\/Nope'/,
    });
    t.match(await r.call('Delay', { ms: 'soon' }), {
      kind: 'fault',
      code: 'Sender',
      subcodes: ['DeserializationFailed'],
    });
    t.match(await r.call('Echo', { text: 'still' }), { kind: 'reply', result: 'still' }, 'the session lives');
    await r.session.end();

    const elsewhere = await openSoap(h, '/svc', { to: h.url('/other') });
    t.ok(elsewhere.ok);
    if (!elsewhere.ok) return;
    t.match(await elsewhere.call('Echo', { text: 'x' }), {
      kind: 'fault',
      code: 'Sender',
      subcodes: ['DestinationUnreachable'],
    });
    t.match(await elsewhere.session.end(), { ok: true });
    // The host name does not count, as with WCF's default address filter.
    const byName = await openSoap(h, '/svc', { to: h.url('/svc').replace('127.0.0.1', 'localhost') });
    t.ok(byName.ok);
    if (byName.ok) {
      t.match(await byName.call('Echo', { text: 'named' }), { kind: 'reply', result: 'named' });
      await byName.session.end();
    }
  },
);

t.test('SOAP 1.2 text is answered where the service lists it, refused where not', async (t) => {
  const h = await withHost(t, {
    services: [
      {
        path: '/text',
        activation: startup,
        contentTypes: ['application/soap+xml; charset=utf-8'],
      },
      { path: '/binary', activation: startup },
    ],
  });
  const r = await openSoap(h, '/text', { soapEncoding: 'soap12' });
  t.ok(r.ok);
  if (r.ok) {
    t.match(await r.call('Echo', { text: '<&>' }), { kind: 'reply', result: '<&>' });
    t.match(await r.call('Fault', { reason: 'text boom' }), { kind: 'fault', reason: 'text boom' });
    await r.session.end();
  }
  t.match(await openSoap(h, '/binary', { soapEncoding: 'soap12' }), {
    ok: false,
    failure: { kind: 'fault', fault: 'ContentTypeInvalid' },
  });
  t.match(await openSoap(h, '/text'), {
    ok: false,
    failure: { kind: 'fault', fault: 'ContentTypeInvalid' },
  });
});

t.test('a message that is not a SOAP envelope aborts the session, as WCF faults its channel', async (t) => {
  const h = await withHost(t, { services: [{ path: '/svc', activation: startup }] });
  const x = await exchange(
    h.port,
    [
      encodeRecords([
        ...sessionPreamble(h.url('/svc'), 0x08),
        { type: 'sized-envelope', payload: Buffer.from('not binary xml') },
      ]),
    ],
    3000,
  );
  t.same(
    x.records.map((r) => r.type),
    ['preamble-ack'],
  );
  t.equal(x.ended, 'reset');
  // The op framing's own content type on the same service speaks the op framing.
  const ops = await openOps(h, '/svc');
  t.ok(ops.ok);
  if (ops.ok) {
    const c = await ops.session.call(Buffer.from('plain'));
    t.equal(c.ok && Buffer.from(c.reply).toString(), 'plain');
    await ops.session.end();
  }
});

t.test('SOAP sessions over maxConcurrentSessions wait for their Ack until one ends', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/s', activation: startup, throttle: { maxConcurrentSessions: 2 } }],
  });
  const a = await openSoap(h, '/s');
  const b = await openSoap(h, '/s');
  t.ok(a.ok && b.ok, 'two sessions open');
  const events: string[] = [];
  const third = openSoap(h, '/s', { openTimeoutMs: 10_000 }).then((r) => (events.push('third'), r));
  t.ok(
    await waitUntil(async () => (await status(h)).workers[0]?.report?.waiting === 1, 5000),
    'the third waits in the worker',
  );
  await sleep(200);
  t.same(events, [], 'no Ack while both slots are held');
  if (a.ok) await a.session.end();
  events.push('first ended');
  const r = await third;
  t.same(events, ['first ended', 'third']);
  t.ok(r.ok);
  if (r.ok) {
    t.match(await r.call('Echo', { text: 'in' }), { kind: 'reply', result: 'in' });
    await r.session.end();
  }
  if (b.ok) await b.session.end();
});

t.test('a SOAP call holds a call slot: calls over maxConcurrentCalls queue in order', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/c', activation: startup, throttle: { maxConcurrentCalls: 2 } }],
  });
  const r = await openSoap(h, '/c');
  t.ok(r.ok);
  if (!r.ok) return;
  const done: string[] = [];
  const calls = ['a', 'b', 'c', 'd'].map((id) =>
    r.call('Delay', { ms: 400 }, 10_000).then((c) => (done.push(id), c)),
  );
  t.ok(
    await waitUntil(async () => {
      const w = (await status(h)).workers[0]?.report;
      return w?.calls.active === 2 && w.calls.queued === 2;
    }, 5000),
    'two calls run, two queue',
  );
  // The contract filter answers before dispatch: an unknown action takes no slot.
  t.match(await r.call('Nope', {}, 300), { kind: 'fault', subcodes: ['ActionNotSupported'] });
  // A full MaxConcurrentCalls holds hand-offs too.
  const late = open(h, '/c', { openTimeoutMs: 10_000 }).then((o) => (done.push('new session'), o));
  const results = await Promise.all(calls);
  t.ok(
    results.every((c) => c.kind === 'reply' && c.result === 'slept 400 ms'),
    'every call answered',
  );
  t.same(done.slice(0, 2).sort(), ['a', 'b'], 'the first two finished first');
  const l = await late;
  t.ok(l.ok);
  t.ok(done.indexOf('new session') >= 3, `the new session waited for a call slot (${done.join(', ')})`);
  if (l.ok) await l.session.end();
  await r.session.end();
});

t.test('each operation takes the latency configured for its op framing twin', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/l', activation: startup, operations: { echo: { latencyMs: 300 } } }],
  });
  const r = await openSoap(h, '/l');
  t.ok(r.ok);
  if (!r.ok) return;
  const timed = async (op: string, params: Record<string, string | number>) => {
    const t0 = performance.now();
    const reply = await r.call(op, params, 10_000);
    return { ms: performance.now() - t0, reply };
  };
  const configured = await timed('Echo', { text: 'e' });
  t.ok(configured.ms >= 290, `Echo took the configured echo latency (${configured.ms.toFixed(0)}ms)`);
  await h.request({ command: 'set-latency', path: '/l', operation: 'echo', ms: 0 });
  for (const [name, op, params] of [
    ['Echo', 'echo', { text: 'e' }],
    ['Delay', 'sleep', { ms: 0 }],
    ['Burn', 'cpu', { ms: 0 }],
    ['Fault', 'fail', { reason: 'f' }],
  ] as const) {
    // Only this op's latency is set, so a call mapped to another op would not wait.
    await h.request({ command: 'set-latency', path: '/l', operation: op, ms: 300 });
    const x = await timed(name, params);
    t.ok(isReply(x.reply), `${name} answered`);
    t.ok(x.ms >= 290, `${name} took the ${op} latency (${x.ms.toFixed(0)}ms)`);
    await h.request({ command: 'set-latency', path: '/l', operation: op, ms: 0 });
  }
  await r.session.end();
});

const hooked = (defects: 'serial-extensions'[]) => ({
  defects,
  services: [{ path: '/h', activation: startup, preDispatchHook: { latencyMs: 300 } }],
});

// Four SOAP sessions make one Echo call each, at once; returns when each finished.
const fourSessions = async (h: Parameters<typeof openSoap>[0]): Promise<number[]> => {
  const sessions = await Promise.all([1, 2, 3, 4].map(() => openSoap(h, '/h')));
  const t0 = performance.now();
  const done = await Promise.all(
    sessions.map(async (s, i) => {
      if (!s.ok) throw new Error(`session ${i} did not open`);
      const c = await s.call('Echo', { text: `h${i}` }, 10_000);
      if (c.kind !== 'reply') throw new Error(`call ${i}: ${c.kind}`);
      await s.session.end();
      return performance.now() - t0;
    }),
  );
  return done.sort((a, b) => a - b);
};

t.test('serial-extensions: the pre-dispatch hook serializes SOAP calls across sessions', async (t) => {
  const h = await withHost(t, hooked(['serial-extensions']));
  const done = await fourSessions(h);
  t.equal((await status(h)).workers[0]?.report?.hooks.peak, 1, 'never more than one hook at once');
  const gaps = done.slice(1).map((d, i) => d - done[i]!);
  t.ok(
    gaps.every((g) => g >= 250),
    `calls finished one hook latency apart (${gaps.map((g) => g.toFixed(0)).join(', ')}ms)`,
  );
});

t.test('without the defect the SOAP calls run their hooks together', async (t) => {
  const h = await withHost(t, hooked([]));
  await fourSessions(h);
  t.equal((await status(h)).workers[0]?.report?.hooks.peak, 4, 'all four hooks ran at once');
});

t.test('a SOAP session End waits for the replies it is owed', async (t) => {
  const h = await withHost(t, { services: [{ path: '/e', activation: startup }] });
  const codec = createSoapCodec({ encoding: 'binary-session', to: h.url('/e'), contract: 'IInteropService' });
  const x = await exchange(
    h.port,
    [
      encodeRecords([
        ...sessionPreamble(h.url('/e'), codec.knownEncoding),
        { type: 'sized-envelope', payload: codec.encodeRequest({ operation: 'Delay', params: { ms: 200 } }) },
        {
          type: 'sized-envelope',
          payload: codec.encodeRequest({ operation: 'Echo', params: { text: 'e' } }),
        },
        { type: 'end' },
      ]),
    ],
    3000,
  );
  t.same(
    x.records.map((r) => r.type),
    ['preamble-ack', 'sized-envelope', 'sized-envelope', 'end'],
  );
  const replies = x.records.flatMap((r) =>
    r.type === 'sized-envelope' ? [codec.decodeReply(r.payload)] : [],
  );
  t.match(replies, [
    { kind: 'reply', result: 'e' },
    { kind: 'reply', result: 'slept 200 ms' },
  ]);
  // No FIN after End: the worker keeps the connection for the client's next session.
  t.equal(x.ended, 'open');
});

t.test(
  'a service that lists only the op framing refuses SOAP sessions with ContentTypeInvalid',
  async (t) => {
    const h = await withHost(t, {
      services: [{ path: '/only', activation: startup, contentTypes: [OPS_CONTENT_TYPE] }],
    });
    t.match(await openSoap(h, '/only'), {
      ok: false,
      failure: { kind: 'fault', fault: 'ContentTypeInvalid' },
    });
    const ops = await openOps(h, '/only');
    t.ok(ops.ok, 'a service listing only the op framing takes op framing sessions');
    if (ops.ok) await ops.session.end();
  },
);
