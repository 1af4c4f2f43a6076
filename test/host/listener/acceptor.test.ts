import { connect } from 'node:net';
import t from 'tap';
import { encodeRecords, sessionPreamble } from '../../../protocol/index.ts';
import type { SpawnedHost } from '../../../host/spawn.ts';
import { exchange } from '../../helpers/raw.ts';
import { open, status, withHost } from '../helpers/host.ts';

// A raw client that writes bytes and notes, in one shared order, when it first got bytes and when it ended.
const client = (h: SpawnedHost, bytes: Uint8Array, name: string, log: string[]) => {
  const s = connect({ port: h.port, host: '127.0.0.1' });
  s.on('connect', () => s.write(bytes));
  const answered = new Promise<void>((resolve) =>
    s.once('data', () => {
      log.push(`${name} answered`);
      resolve();
    }),
  );
  s.on('error', () => {});
  const ended = new Promise<void>((resolve) =>
    s.on('close', () => {
      log.push(`${name} closed`);
      resolve();
    }),
  );
  // Waits for an answer (or the end), then closes.
  const finish = async (): Promise<void> => {
    await Promise.race([answered, ended]);
    s.destroy();
    await ended;
  };
  return { ended, finish };
};

// Whether both happened, a first.
const before = (log: string[], a: string, b: string): boolean =>
  log.includes(a) && log.includes(b) && log.indexOf(a) < log.indexOf(b);

const VERSION_ONLY = Buffer.from([0x00, 0x01, 0x00]);
const startup = { mode: 'startup' as const };

t.test(
  'maxPendingAccepts: one stalled preamble holds up the next connection until receiveTimeout',
  async (t) => {
    const h = await withHost(t, {
      sharing: { maxPendingAccepts: 1, receiveTimeoutMs: 600 },
      services: [{ path: '/a', activation: startup }],
    });
    const log: string[] = [];
    const stalled = client(h, VERSION_ONLY, 'stalled', log);
    await new Promise((r) => setTimeout(r, 100));
    const good = client(h, encodeRecords(sessionPreamble(h.url('/a'), 8)), 'good', log);
    await stalled.ended;
    await good.finish();
    t.ok(
      before(log, 'stalled closed', 'good answered'),
      `the good one was read only after the stalled one was cut off (${log.join(', ')})`,
    );
  },
);

t.test('with two pending accepts the stalled preamble holds up nobody', async (t) => {
  const h = await withHost(t, {
    sharing: { maxPendingAccepts: 2, receiveTimeoutMs: 600 },
    services: [{ path: '/a', activation: startup }],
  });
  const log: string[] = [];
  const stalled = client(h, VERSION_ONLY, 'stalled', log);
  await new Promise((r) => setTimeout(r, 100));
  const good = client(h, encodeRecords(sessionPreamble(h.url('/a'), 8)), 'good', log);
  await good.finish();
  await stalled.ended;
  t.ok(before(log, 'good answered', 'stalled closed'), `served while the other stalled (${log.join(', ')})`);
});

t.test('listenBacklog: with the queue full a new connection is reset', async (t) => {
  const h = await withHost(t, {
    sharing: { maxPendingAccepts: 1, listenBacklog: 1, receiveTimeoutMs: 800 },
    services: [{ path: '/a', activation: startup }],
  });
  const log: string[] = [];
  const stalled = client(h, VERSION_ONLY, 'stalled', log);
  await new Promise((r) => setTimeout(r, 100));
  const queued = client(h, encodeRecords(sessionPreamble(h.url('/a'), 8)), 'queued', log);
  await new Promise((r) => setTimeout(r, 100));
  const third = await exchange(h.port, [encodeRecords(sessionPreamble(h.url('/a'), 8))], 2000);
  t.equal(third.ended, 'reset', 'the third is reset');
  t.equal(third.records.length, 0);
  await stalled.ended;
  await queued.finish();
  t.ok(
    before(log, 'stalled closed', 'queued answered'),
    `the queued one is served once read (${log.join(', ')})`,
  );
  t.match((await status(h)).listener.counts, { refusedBacklog: 1 });
});

t.test('maxPendingConnections: past it a new connection is aborted without a fault', async (t) => {
  const h = await withHost(t, {
    sharing: { maxPendingConnections: 1, dispatchTimeoutMs: 10_000 },
    services: [{ path: '/slow', activation: { mode: 'on-demand', delayMs: 1500 } }],
  });
  const first = open(h, '/slow', { openTimeoutMs: 10_000 });
  await h.waitFor((l) => l.event === 'worker-start');
  const second = await exchange(h.port, [encodeRecords(sessionPreamble(h.url('/slow'), 8))], 2000);
  t.equal(second.ended, 'reset', 'aborted');
  t.equal(second.records.length, 0, 'with no fault');
  t.match(await h.waitFor((l) => l.event === 'refused'), { fault: null, reason: 'maxPendingConnections' });
  const r = await first;
  t.ok(r.ok, 'the pending one is served once the worker is up');
  if (r.ok) await r.session.end();
  t.match((await status(h)).listener.counts, { abortedPending: 1 });
});
