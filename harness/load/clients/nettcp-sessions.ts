// Runs one net.tcp load: follows its model's schedule, launches a scripted session per start (open,
// calls, end), records each into the load's stats and as an op, and drains or cuts off what is in flight
// when load stops.

import { ConnectionPool } from '../../../clients/nettcp/index.ts';
import { Admission } from '../admission.ts';
import { seededRandom } from '../random.ts';
import { sessionMessages } from '../messages.ts';
import { runSchedule } from '../schedule-runner.ts';
import { runSession } from '../session-runner.ts';
import { resolveVia } from './nettcp-address.ts';
import type { SessionSpec } from './nettcp-fields.ts';
import type { ClientContext, ClientLoad } from './types.ts';

export const startSessions = (
  spec: { via: string; session: SessionSpec },
  ctx: ClientContext,
): ClientLoad => {
  const { stats, schedule } = ctx;
  const target = resolveVia(spec.via, ctx.target);
  const payload = seededRandom(ctx.seed, `payload:${ctx.name}`).bytes(spec.session.payload);
  const messages = sessionMessages(spec.session, payload, target.via);
  // session.pooled: sessions open on connections the service kept, as the .NET client's pool does.
  const pool = spec.session.pooled ? new ConnectionPool() : undefined;
  const cap = schedule.kind === 'open' ? schedule.maxInFlight : Infinity;
  // Aborts sessions still in flight when the drain ends: one controller per session, since every listener
  // added to one shared AbortSignal walks all the others (thousands of sessions made it quadratic).
  const cuts = new Set<AbortController>();
  let cut = false;
  const admission = new Admission();
  const inFlight = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  let stopped = false;
  let ids = 0;

  const launch = (intended: number): Promise<void> => {
    if (stats.active >= cap) {
      stats.dropped();
      return Promise.resolve();
    }
    stats.started();
    const p = admission.admit(() => run(intended));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  // One session, once admitted.
  const run = (intended: number): Promise<void> => {
    const session = ++ids;
    const start = ctx.now();
    const cutter = new AbortController();
    // A session still waiting for its turn when the drain ended starts cut off.
    if (cut) cutter.abort();
    cuts.add(cutter);
    return runSession(target, spec.session, messages(), {
      allowRemote: ctx.allowRemote,
      signal: cutter.signal,
      onCall: (ok, ms) => stats.call(ok, ms),
      pool,
    }).then((outcome) => {
      const end = ctx.now();
      cuts.delete(cutter);
      const wasCut = !outcome.ok && outcome.failure.kind === 'aborted' && cutter.signal.aborted;
      const failure = outcome.ok ? undefined : outcome.failure;
      stats.finished(failure, end - intended, end - start);
      ctx.op({
        t: end,
        kind: 'op',
        type: outcome.ok ? 'ok' : wasCut ? 'info' : 'fail',
        load: ctx.name,
        session,
        intended,
        start,
        ms: end - intended,
        uncorrectedMs: end - start,
        calls: outcome.calls,
        ...(failure === undefined ? {} : { failure }),
      });
    });
  };

  // A sleep that the stop ends at once.
  const sleepUntil = (t: number): Promise<void> => {
    const ms = t - ctx.now();
    if (ms <= 0 || stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  };

  const done = runSchedule(schedule, ctx.start, {
    now: () => ctx.now(),
    sleepUntil,
    launch,
    stopped: () => stopped,
  });

  let stopping: Promise<void> | undefined;
  let endDrain: (() => void) | undefined;
  const stop = async (drainMs: number): Promise<void> => {
    stopped = true;
    for (const wake of [...sleepers]) wake();
    const drained = Promise.all([...inFlight]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => {
      endDrain = () => r(false);
      timer = setTimeout(endDrain, drainMs);
    });
    const all = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!all) {
      cut = true;
      for (const c of cuts) c.abort();
      await Promise.all([...inFlight]);
    }
    await done;
    // Kept connections would be counted as the target's sockets after load.
    pool?.close();
  };
  return {
    done,
    stop: (drainMs) => {
      // A second stop with no drain (the run was interrupted) cuts a drain under way short.
      if (stopping !== undefined && drainMs === 0) endDrain?.();
      stopping ??= stop(drainMs);
      return stopping;
    },
  };
};
