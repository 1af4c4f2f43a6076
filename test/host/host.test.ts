import t from 'tap';
import {
  decodeOpReply,
  encodeOpRequest,
  encodeRecord,
  encodeRecords,
  type FramingRecord,
  Mode,
  type Operation,
  sessionPreamble,
} from '../../protocol/index.ts';
import { LEAKED_HANDLE_MESSAGE } from '../../host/events.ts';
import { exchange } from '../helpers/raw.ts';
import { open, openOps, status, withHost } from './helpers/host.ts';

const faultOf = (records: FramingRecord[]): string | undefined => {
  const f = records.find((r) => r.type === 'fault');
  return f?.type === 'fault' ? f.uri.split('/').pop() : undefined;
};

const services = [
  { path: '/orders', activation: { mode: 'startup' as const } },
  { path: '/billing', activation: { mode: 'startup' as const } },
  { path: '/small', maxMessageSize: 100, activation: { mode: 'startup' as const } },
];

t.test('each via reaches the worker that registered its path, and refusals get their fault', async (t) => {
  const h = await withHost(t, { services });
  const orders = await open(h, '/orders/123');
  const billing = await open(h, '/BILLING'.toLowerCase());
  t.ok(orders.ok && billing.ok, 'both sessions open');
  const byPath = (p: string) => h.lines.find((l) => l.event === 'worker-start' && l.path === p)!.pid;
  const dispatches = await Promise.all(
    [1, 2].map((id) => h.waitFor((l) => l.event === 'dispatch' && l.id === id)),
  );
  t.same(
    dispatches.map((d) => d.pid),
    [byPath('/orders'), byPath('/billing')],
    'each hand-off went to its own path worker',
  );
  if (orders.ok) await orders.session.end();
  if (billing.ok) await billing.session.end();

  const via = h.url('/orders');
  const upgrade = encodeRecords([
    ...sessionPreamble(via, 8).slice(0, 4),
    { type: 'upgrade-request', protocol: 'application/ssl-tls' },
    { type: 'preamble-end' },
  ]);
  const cases: [string, Buffer[], string][] = [
    ['an unregistered path', [encodeRecords(sessionPreamble(h.url('/nowhere'), 8))], 'EndpointNotFound'],
    [
      'a via with another scheme',
      [encodeRecords(sessionPreamble(`http://127.0.0.1:${h.port}/orders`, 8))],
      'EndpointNotFound',
    ],
    ['major version 2', [Buffer.from([0x00, 0x02, 0x00])], 'UnsupportedVersion'],
    ['mode 0x07', [Buffer.from([0x00, 0x01, 0x00, 0x01, 0x07])], 'UnsupportedMode'],
    [
      'simplex (the listener routes no simplex)',
      [encodeRecords(sessionPreamble(via, 8, Mode.Simplex))],
      'UnsupportedMode',
    ],
    [
      'singleton (routed; the worker serves duplex only)',
      [encodeRecords(sessionPreamble(via, 8, Mode.SingletonUnsized))],
      'UnsupportedMode',
    ],
    ['a via of 3000 bytes', [encodeRecords(sessionPreamble(`${via}/${'a'.repeat(3000)}`, 8))], 'ViaTooLong'],
    [
      'a content type of 300 bytes',
      [encodeRecords(sessionPreamble(via, `application/${'x'.repeat(300)}`))],
      'ContentTypeTooLong',
    ],
    [
      'a content type the service does not accept',
      [encodeRecords(sessionPreamble(via, 'text/xml; charset=utf-8'))],
      'ContentTypeInvalid',
    ],
    ['an upgrade request', [upgrade], 'UpgradeInvalid'],
    [
      'a message over maxMessageSize',
      [
        encodeRecords(sessionPreamble(h.url('/small'), 8)),
        encodeRecord({ type: 'sized-envelope', payload: new Uint8Array(101) }),
      ],
      'MaxMessageSizeExceededFault',
    ],
  ];
  for (const [name, writes, fault] of cases) {
    const x = await exchange(h.port, writes, 3000);
    t.equal(faultOf(x.records), fault, `${name}: ${fault}`);
    t.equal(x.ended, 'fin', `${name}: half-closed after the fault`);
  }
});

t.test('out-of-order records, HTTP and a stalled preamble are aborted without a fault', async (t) => {
  const h = await withHost(t, { sharing: { receiveTimeoutMs: 300 }, services });
  for (const [name, bytes] of [
    ['End before Version', encodeRecords([{ type: 'end' }])],
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['a preamble that stops after Mode', Buffer.from([0x00, 0x01, 0x00, 0x01, 0x02])],
  ] as const) {
    const x = await exchange(h.port, [bytes], 3000);
    t.equal(x.records.length, 0, `${name}: no record back`);
    t.equal(x.ended, 'reset', `${name}: reset`);
  }
});

t.test('a paused route answers EndpointUnavailable until resumed', async (t) => {
  const h = await withHost(t, { services });
  await h.request({ command: 'pause', path: '/orders' });
  const paused = await open(h, '/orders');
  t.match(paused, { ok: false, failure: { kind: 'fault', fault: 'EndpointUnavailable' } });
  const other = await open(h, '/billing');
  t.ok(other.ok, 'other routes are not paused');
  if (other.ok) await other.session.end();
  await h.request({ command: 'resume', path: '/orders' });
  const resumed = await open(h, '/orders');
  t.ok(resumed.ok, 'served again after resume');
  if (resumed.ok) await resumed.session.end();
  t.match((await status(h)).routes, [{ path: '/orders', paused: false }, {}, {}]);
});

t.test('a failed activation answers ServiceActivationFailed; the next one succeeds', async (t) => {
  const h = await withHost(t, { services: [{ path: '/lazy' }] });
  await h.request({ command: 'fail-activation', path: '/lazy' });
  const first = await open(h, '/lazy');
  t.match(first, { ok: false, failure: { kind: 'fault', fault: 'ServiceActivationFailed' } });
  await h.waitFor((l) => l.event === 'worker-exit');
  const second = await open(h, '/lazy');
  t.ok(second.ok, 'a new activation serves the path');
  if (second.ok) await second.session.end();
  t.equal(h.lines.filter((l) => l.event === 'worker-start').length, 2, 'two workers were started');
});

t.test(
  'a hand-off that outlasts dispatchTimeout is ConnectionDispatchFailed, logged as a leaked handle',
  async (t) => {
    const h = await withHost(t, {
      sharing: { dispatchTimeoutMs: 300 },
      services: [{ path: '/slow', activation: { mode: 'on-demand', delayMs: 1500 } }],
    });
    const r = await open(h, '/slow');
    t.match(r, { ok: false, failure: { kind: 'fault', fault: 'ConnectionDispatchFailed' } });
    const e = await h.waitFor((l) => l.event === 'dispatch-failed');
    t.match(e, { level: 'error', message: LEAKED_HANDLE_MESSAGE, path: '/slow', reason: 'timeout' });
    const u = await h.waitFor((l) => l.event === 'worker-unregistered');
    t.equal(u.pid, e.pid, 'the worker that timed out lost its registration');
  },
);

t.test('an op framing session makes every operation, and a fail reply leaves it open', async (t) => {
  const h = await withHost(t, { services });
  const r = await openOps(h, '/orders');
  t.ok(r.ok);
  if (!r.ok) return;
  const s = r.session;
  const call = async (op: Operation, arg = 0) => {
    const c = await s.call(encodeOpRequest({ id: 7, op, arg, payload: Buffer.from(op) }));
    return c.ok ? decodeOpReply(c.reply) : c.failure;
  };
  t.match(await call('echo'), { ok: true, id: 7 });
  t.match(await call('sleep', 20), { ok: true });
  t.match(await call('cpu', 20), { ok: true });
  t.match(await call('fail'), { ok: false, reason: /failed/ });
  t.match(await call('echo'), { ok: true }, 'the session stays up after a fail reply');
  const plain = await s.call(Buffer.from('not an operation'));
  t.equal(plain.ok && Buffer.from(plain.reply).toString(), 'not an operation', 'a plain payload is echoed');
  t.match(await s.end(), { ok: true });
});
