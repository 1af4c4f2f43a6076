import fc from 'fast-check';
import { connect } from 'node:net';
import t from 'tap';
import {
  encodeRecord,
  encodeRecords,
  FramingDecoder,
  type FramingRecord,
  OPS_CONTENT_TYPE,
  sessionPreamble,
} from '../../../protocol/index.ts';
import { exchange } from '../../helpers/raw.ts';
import { recordArb } from '../../helpers/records.ts';
import { fdCount, isAlive, open, status, waitUntil, withHost } from '../helpers/host.ts';

t.test('bytes that arrive while a connection waits for its worker reach the worker', async (t) => {
  const h = await withHost(t, {
    services: [{ path: '/late', activation: { mode: 'on-demand', delayMs: 0 } }],
  });
  const records: FramingRecord[] = [];
  const decoder = new FramingDecoder();
  const s = connect({ port: h.port, host: '127.0.0.1' });
  // The worker answers End with End and keeps the connection for the client's next session (WCF's
  // connection reuse): the session is over when its End arrives.
  const ended = new Promise<void>((resolve) =>
    s.on('data', (c: Buffer) => {
      records.push(...decoder.push(c));
      if (records.some((r) => r.type === 'end')) resolve();
    }),
  );
  t.teardown(() => s.destroy());
  await new Promise((r) => s.once('connect', r));
  // Up to the encoding: the listener reads this much and starts the worker. The op framing, whose plain
  // payloads the worker echoes.
  s.write(encodeRecords(sessionPreamble(h.url('/late'), OPS_CONTENT_TYPE).slice(0, 4)));
  await h.waitFor((l) => l.event === 'worker-start');
  // The rest while the worker is starting: the listener has it, the worker must get it.
  s.write(encodeRecords([{ type: 'preamble-end' }, { type: 'sized-envelope', payload: Buffer.from('one') }]));
  await h.waitFor((l) => l.event === 'dispatch');
  s.write(encodeRecords([{ type: 'sized-envelope', payload: Buffer.from('two') }, { type: 'end' }]));
  await ended;
  t.same(
    records.map((r) => (r.type === 'sized-envelope' ? Buffer.from(r.payload).toString() : r.type)),
    ['preamble-ack', 'one', 'two', 'end'],
  );
});

// Inputs a hostile or broken client sends: random, mutated, truncated, oversized, and good preambles
// followed by garbage (which reaches the worker).
const fuzzInputs = (via: string): Uint8Array[] => {
  const good = encodeRecords(sessionPreamble(via, 8));
  const upToEncoding = encodeRecords(sessionPreamble(via, 8).slice(0, 4));
  return fc.sample(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
        const b = Buffer.from(good);
        b[i] = v;
        return b;
      }),
      fc.nat(good.length).map((n) => good.subarray(0, n)),
      fc
        .integer({ min: 2049, max: 6000 })
        .map((n) => encodeRecords(sessionPreamble(`${via}/${'v'.repeat(n)}`, 8))),
      fc
        .integer({ min: 257, max: 2000 })
        .map((n) => encodeRecords(sessionPreamble(via, `a/${'x'.repeat(n)}`))),
      fc.constant(
        Buffer.concat([upToEncoding.subarray(0, 4), Buffer.from([0x02, 0xff, 0xff, 0xff, 0xff, 0x0f])]),
      ),
      fc.uint8Array({ maxLength: 48 }).map((tail) => Buffer.concat([upToEncoding, tail])),
      fc.array(recordArb, { maxLength: 4 }).map((rs) => Buffer.concat([good, encodeRecords(rs)])),
      fc.constant(
        Buffer.concat([good, encodeRecord({ type: 'sized-envelope', payload: new Uint8Array(70_000) })]),
      ),
    ),
    { numRuns: 90, seed: 11 },
  );
};

t.test(
  'malformed, truncated, oversized and random preambles crash nothing and leave no fd behind',
  async (t) => {
    const h = await withHost(t, {
      sharing: { receiveTimeoutMs: 300, maxPendingAccepts: 4, listenBacklog: 50 },
      services: [{ path: '/f', activation: { mode: 'startup' } }],
    });
    const warm = await open(h, '/f');
    if (warm.ok) await warm.session.end();
    const worker = (await status(h)).routes[0]!.workerPid!;
    const base = { listener: await fdCount(h.pid), worker: await fdCount(worker) };
    const inputs = fuzzInputs(h.url('/f'));
    for (let i = 0; i < inputs.length; i += 10) {
      await Promise.all(inputs.slice(i, i + 10).map((input) => exchange(h.port, [input], 800)));
    }
    t.ok(await isAlive(h.pid), 'the listener is alive');
    t.ok(await isAlive(worker), 'the worker is alive');
    t.notOk(
      h.lines.some((l) => l.event === 'worker-exit'),
      'no worker exited',
    );
    const ok = await open(h, '/f');
    t.ok(ok.ok, 'the host still serves');
    if (ok.ok) await ok.session.end();
    t.ok(
      await waitUntil(
        async () => (await fdCount(h.pid)) <= base.listener && (await fdCount(worker)) <= base.worker,
        5000,
      ),
      `fd counts back to their baseline (listener ${base.listener} -> ${await fdCount(h.pid)}, worker ${base.worker} -> ${await fdCount(worker)})`,
    );
    const s = await status(h);
    t.match(s.listener, { queued: 0, reading: 0, pending: 0 }, 'nothing left in the listener');
    t.match(s.workers[0]?.report, { sessions: 0, waiting: 0, orphaned: 0 }, 'nothing left in the worker');
  },
);
