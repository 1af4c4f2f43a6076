// throttle-saturation: hold the target's concurrency limits full for the duration. `calls: N` opens N
// sessions on the reference host and has each make one `sleep` call that lasts to the end of the window
// (MaxConcurrentCalls); `sessions: N` holds N idle sessions open (MaxConcurrentSessions, or any
// program's own limit). Heal aborts every session. Queueing is measured: the worker's call counters and
// whether a fresh session gets through while the limit is full, and again after.

import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { type NetTcpSession, openSession, resolveNetTcpUrl } from '../clients/nettcp/index.ts';
import { positiveDuration, positiveInt, urlPath } from '../model/fields.ts';
import { encodeOpRequest, OPS_CONTENT_TYPE } from '../protocol/index.ts';
import { FaultError, faultDuration, faultFields, probeSession, viaOf } from './common.ts';
import { waitFor } from './processes.ts';
import { FaultErrorCode } from './errors.ts';
import type { Fault, FaultContext } from './types.ts';

// More than this many held connections is a flood, not a throttle (and would exhaust our own fds).
const MAX_HELD = 5000;

const schema = z
  .strictObject(
    {
      ...faultFields('throttle-saturation'),
      duration: faultDuration(),
      path: urlPath(
        'the service to saturate, for example /orders (a program: the via path, default /)',
      ).optional(),
      calls: positiveInt('a positive number of long calls to hold (one session each)').optional(),
      sessions: positiveInt('a positive number of idle sessions to hold open').optional(),
      openTimeout: positiveDuration('how long each held session may take to open').prefault('5s'),
    },
    { error: 'a throttle-saturation: { at, duration, path, calls } or { at, duration, path, sessions }' },
  )
  .superRefine((s, ctx) => {
    if ((s.calls === undefined) === (s.sessions === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['calls'],
        message: 'either calls (long calls held) or sessions (idle sessions held), one of the two',
      });
    }
    const n = s.calls ?? s.sessions ?? 0;
    if (n > MAX_HELD)
      ctx.addIssue({
        code: 'custom',
        path: [s.calls === undefined ? 'sessions' : 'calls'],
        message: `at most ${MAX_HELD}`,
      });
  })
  .meta({ description: 'hold N long calls or N idle sessions open for a duration, then release them' });

export type ThrottleSaturationSpec = z.output<typeof schema>;

type Active = { path: string; token: string; held: number; calls: boolean; startedAt: number };

type CallCounters = { active: number; queued: number; limit: number };
type WorkerView = { sessions: number; calls: CallCounters } | undefined;

// Sessions held by each fault, under the token its Active carries (sockets cannot go in the journal).
const holding = new Map<string, NetTcpSession[]>();
let nextToken = 0;

// What the registered worker of a path reports about its throttles (host targets).
const workerView = async (ctx: FaultContext, path: string): Promise<WorkerView> => {
  if (ctx.target.kind !== 'host') return undefined;
  const status = (await ctx.target.control!({ command: 'status' })) as {
    workers?: {
      path: string;
      registered: boolean;
      report: { sessions: number; calls: CallCounters } | null;
    }[];
  };
  const r = status.workers?.find((w) => w.path === path && w.registered)?.report;
  return r === undefined || r === null ? undefined : { sessions: r.sessions, calls: r.calls };
};

const countBy = (kinds: string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
  return out;
};

export const throttleSaturation = {
  name: 'throttle-saturation',
  schema,
  checkTarget: (s, target) => {
    if (target !== 'host' && s.calls !== undefined)
      return [
        "calls are held with the reference host's sleep operation; a program target holds sessions (sessions: N)",
      ];
    if (target === 'host' && s.path === undefined)
      return ['the host saturates one service: name its path (path: /orders)'];
    return [];
  },
  describe: (s) =>
    `throttle-saturation of ${s.path ?? '/'}: ${s.calls === undefined ? `${s.sessions} idle session(s)` : `${s.calls} long call(s)`} held for ${formatDuration(s.duration)}`,
  inject: async (s, ctx) => {
    const path = s.path ?? '/';
    const startedAt = Date.now();
    const untilMs = startedAt + s.duration;
    let n = s.calls ?? s.sessions!;
    const before = await workerView(ctx, path);
    // A call past the limit waits in the worker's queue and would still run its sleep after the window
    // (the host, like WCF, does not cancel a call whose client left), so calls stop at the limit.
    const capped = s.calls !== undefined && before !== undefined && n > before.calls.limit;
    if (capped) n = before.calls.limit;
    const target = await resolveNetTcpUrl(viaOf(ctx.target, path));
    // Held calls speak the host's compact op framing (its sleep has no upper bound, unlike SOAP Delay).
    const encoding = s.calls === undefined ? undefined : OPS_CONTENT_TYPE;
    const opened = await Promise.all(
      Array.from({ length: n }, () => openSession(target, { openTimeoutMs: s.openTimeout, encoding })),
    );
    const sessions = opened.flatMap((r) => (r.ok ? [r.session] : []));
    const failed = opened.flatMap((r) => (r.ok ? [] : [`${r.failure.kind} during ${r.failure.stage}`]));
    const token = `throttle-${process.pid}-${++nextToken}`;
    holding.set(token, sessions);
    if (sessions.length === 0) {
      holding.delete(token);
      throw new FaultError(
        FaultErrorCode.NoSession,
        `no session opened on ${path}: ${JSON.stringify(countBy(failed))}`,
      );
    }
    try {
      if (s.calls !== undefined) {
        sessions.forEach((session, i) => {
          // Each call ends at the window's end on the host's side, whatever becomes of the harness.
          const arg = Math.max(0, untilMs - Date.now());
          void session.call(encodeOpRequest({ id: i + 1, op: 'sleep', arg, payload: new Uint8Array(0) }), {
            timeoutMs: arg + 10_000,
          });
        });
        await waitFor(
          async () => ((await workerView(ctx, path))?.calls.active ?? 0) >= sessions.length,
          2000,
          50,
        );
      }
      const during = await workerView(ctx, path);
      const probe = await probeSession(ctx.target, path);
      ctx.note({
        held: sessions.length,
        asked: s.calls ?? s.sessions,
        ...(capped ? { cappedAtLimit: n } : {}),
        ...(failed.length === 0 ? {} : { failedToOpen: countBy(failed) }),
        ...(during === undefined ? {} : { worker: during }),
        // A fresh session while the limit is full: it should wait (time out) rather than get through.
        probe,
      });
    } catch (e) {
      // A failed inject leaves nothing behind.
      for (const session of sessions) session.abort();
      holding.delete(token);
      throw e;
    }
    return { path, token, held: sessions.length, calls: s.calls !== undefined, startedAt };
  },
  heal: async (a, ctx) => {
    for (const session of holding.get(a.token) ?? []) session.abort();
    holding.delete(a.token);
    // The held calls end with the window; wait for the worker's limit to free up before measuring.
    if (a.calls) {
      await waitFor(
        async () => {
          const v = await workerView(ctx, a.path);
          return v === undefined || v.calls.active < v.calls.limit;
        },
        3000,
        50,
      );
    }
    const after = await workerView(ctx, a.path);
    const probe = await probeSession(ctx.target, a.path);
    ctx.note({
      released: a.held,
      heldMs: Date.now() - a.startedAt,
      ...(after === undefined ? {} : { worker: after }),
      probe,
    });
  },
} satisfies Fault<typeof schema, Active>;
