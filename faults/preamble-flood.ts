// preamble-flood: slowloris against the sharing listener. Open N connections that send nothing (or the
// start of a preamble, cut in the middle of the via) and hold them for the duration, so the listener's
// pending accepts and pending connections stay taken; a connection the target closes (receiveTimeout) is
// opened again while the window lasts. Heal closes them all; the sockets die with the harness anyway.
// Measured: how many were held and closed by the target, whether a fresh session gets through during the
// flood and after, and the host listener's own counters.

import { connect, type Socket } from 'node:net';
import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { isLoopbackIp } from '../clients/loopback.ts';
import { bool, oneOf, positiveInt, urlPath } from '../model/fields.ts';
import { encodeRecords, sessionPreamble } from '../protocol/index.ts';
import { FaultError, faultDuration, faultFields, probeSession, viaOf } from './common.ts';
import { waitFor } from './processes.ts';
import { FaultErrorCode } from './errors.ts';
import type { Fault, FaultContext } from './types.ts';

// Our own fds bound the flood.
const MAX_CONNECTIONS = 5000;
// Reopens per connection over the window, at most; and the pause before each.
const MAX_REOPENS_EACH = 50;
const REOPEN_AFTER_MS = 20;

const schema = z
  .strictObject(
    {
      ...faultFields('preamble-flood'),
      duration: faultDuration(),
      connections: positiveInt(`a number of connections to hold, from 1 to ${MAX_CONNECTIONS}`).refine(
        (n) => n <= MAX_CONNECTIONS,
        { error: `a number of connections to hold, from 1 to ${MAX_CONNECTIONS}` },
      ),
      send: oneOf(
        ['nothing', 'partial'],
        'nothing (connect and stay silent) or partial (the start of a preamble, then silence)',
      ).default('nothing'),
      path: urlPath('the path the partial preamble and the probe name, for example /orders').optional(),
      reopen: bool('whether a connection the target closes is opened again during the window').default(true),
    },
    { error: 'a preamble-flood: { at, duration, connections, send, path, reopen }' },
  )
  .meta({
    description: 'open N connections that send nothing or a partial preamble, and hold them (slowloris)',
  });

export type PreambleFloodSpec = z.output<typeof schema>;

type Active = { token: string; path: string; startedAt: number };

type Flood = {
  sockets: Set<Socket>;
  stopped: boolean;
  opened: number;
  connected: number;
  closedByTarget: number;
  failed: Record<string, number>;
};

// Each flood's sockets and counters, under the token its Active carries.
const floods = new Map<string, Flood>();
let nextToken = 0;

// What the host's listener says about its queues (host targets).
const listenerView = async (ctx: FaultContext): Promise<Record<string, unknown> | undefined> => {
  if (ctx.target.kind !== 'host') return undefined;
  const s = (await ctx.target.control!({ command: 'status' })) as {
    listener?: { queued: number; reading: number; pending: number; counts: Record<string, unknown> };
  };
  const l = s.listener;
  return l === undefined
    ? undefined
    : { queued: l.queued, reading: l.reading, pending: l.pending, counts: l.counts };
};

const counts = (f: Flood) => ({
  held: f.sockets.size,
  opened: f.opened,
  connected: f.connected,
  closedByTarget: f.closedByTarget,
  ...(Object.keys(f.failed).length === 0 ? {} : { failed: { ...f.failed } }),
});

export const preambleFlood = {
  name: 'preamble-flood',
  schema,
  describe: (s) =>
    `preamble-flood: ${s.connections} connection(s) sending ${s.send === 'nothing' ? 'nothing' : 'a partial preamble'} held for ${formatDuration(s.duration)}`,
  inject: async (s, ctx) => {
    const t = ctx.target;
    if (t.host === undefined || t.port === undefined)
      throw new FaultError(FaultErrorCode.NoAddress, 'the target has no address to flood');
    const host = t.host === 'localhost' ? '127.0.0.1' : t.host;
    if (!isLoopbackIp(host))
      throw new FaultError(FaultErrorCode.Remote, `a flood only goes to loopback, not ${host}`);
    const path = s.path ?? t.services?.[0]?.path ?? '/';
    const via = viaOf(t, path);
    const whole = encodeRecords(sessionPreamble(via, 0x08));
    // Version (3 bytes), Mode (2), the via's type and length, then half of the via.
    const partial = whole.subarray(0, 5 + 2 + Math.floor(Buffer.byteLength(via) / 2));
    const startedAt = Date.now();
    const untilMs = startedAt + s.duration;
    const f: Flood = {
      sockets: new Set(),
      stopped: false,
      opened: 0,
      connected: 0,
      closedByTarget: 0,
      failed: {},
    };
    const token = `flood-${process.pid}-${++nextToken}`;
    floods.set(token, f);
    const open = (reopens: number): void => {
      if (f.stopped || Date.now() >= untilMs) return;
      f.opened++;
      const sock = connect({ host, port: t.port! });
      f.sockets.add(sock);
      let failedWith: string | undefined;
      let connected = false;
      sock.on('connect', () => {
        connected = true;
        f.connected++;
        if (s.send === 'partial') sock.write(partial);
      });
      sock.on('error', (e: NodeJS.ErrnoException) => (failedWith = e.code ?? 'error'));
      // Whatever the target sends (a fault, once it gives up) is read and dropped.
      sock.on('data', () => {});
      sock.on('close', () => {
        f.sockets.delete(sock);
        if (f.stopped) return;
        // Once connected, an end or a reset alike is the target letting go (receiveTimeout aborts).
        if (connected) f.closedByTarget++;
        else f.failed[failedWith ?? 'closed'] = (f.failed[failedWith ?? 'closed'] ?? 0) + 1;
        if (s.reopen && reopens < MAX_REOPENS_EACH)
          setTimeout(() => open(reopens + 1), REOPEN_AFTER_MS).unref();
      });
    };
    for (let i = 0; i < s.connections; i++) open(0);
    // Let the connections land before measuring.
    await waitFor(
      () => f.connected + Object.values(f.failed).reduce((a, b) => a + b, 0) >= s.connections,
      3000,
      25,
    );
    try {
      const listener = await listenerView(ctx);
      const probe = await probeSession(t, path);
      ctx.note({ ...counts(f), ...(listener === undefined ? {} : { listener }), probe });
    } catch (e) {
      // A failed inject leaves nothing behind.
      f.stopped = true;
      for (const sock of f.sockets) sock.destroy();
      floods.delete(token);
      throw e;
    }
    return { token, path, startedAt };
  },
  heal: async (a, ctx) => {
    const f = floods.get(a.token);
    floods.delete(a.token);
    const final = f === undefined ? {} : counts(f);
    if (f !== undefined) {
      f.stopped = true;
      for (const sock of f.sockets) sock.destroy();
    }
    const probe = await probeSession(ctx.target, a.path);
    const listener = await listenerView(ctx);
    ctx.note({
      ...final,
      heldMs: Date.now() - a.startedAt,
      ...(listener === undefined ? {} : { listener }),
      probe,
    });
  },
} satisfies Fault<typeof schema, Active>;
