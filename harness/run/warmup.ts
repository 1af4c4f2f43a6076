// The warm-up before the baseline: a few sessions of each load's shape (run by the load's own client,
// so its address, encoding, calls and messages), so a runtime that loads what it needs on its first
// sessions (.NET loading framework assemblies, a service opening its log files) has done so before the
// leak checks take their baseline. Its sessions are not load: they are recorded as one `warmup` event per
// load, not as ops.

import { checkWarmupSessions } from '../checks/index.ts';
import { clientOf } from '../load/clients/index.ts';
import type { ClientLoad, LoadTarget } from '../load/clients/types.ts';
import { LoadStats } from '../load/stats.ts';
import { phase, type RunContext } from './context.ts';

// Sessions of one load in flight at once during the warm-up (a pool warms with a little concurrency).
const WARMUP_CONCURRENCY = 4;
// No new warm-up session starts after this long (a load of long sessions warms with fewer).
const WARMUP_MAX_MS = 15_000;
// How long the warm-up's last sessions may take to finish before they are cut off.
const WARMUP_DRAIN_MS = 5_000;

// Runs the warm-up the configured checks ask for (none: nothing happens).
export const warmUp = async (ctx: RunContext, target: LoadTarget): Promise<void> => {
  const n = checkWarmupSessions(ctx.suite.checks);
  if (n === 0 || ctx.signal.aborted) return;
  phase(ctx, 'warmup');
  await Promise.all(
    ctx.suite.load.map(async (spec) => {
      const failed: Record<string, number> = {};
      // The load, once started (the stats below stop it).
      const started: { load?: ClientLoad } = {};
      // The n-th session started: no more start (a lane checks before each session it starts).
      const stats = new (class extends LoadStats {
        override started(): void {
          super.started();
          if (this.totals.started >= n) void started.load?.stop(WARMUP_DRAIN_MS);
        }
      })(spec.name);
      const running = clientOf(spec).start(spec, {
        name: spec.name,
        // A few lanes back to back: a closed schedule the load's client follows as it follows its model's.
        schedule: { kind: 'closed', lanes: Math.min(WARMUP_CONCURRENCY, n), durationMs: WARMUP_MAX_MS },
        start: ctx.h.now(),
        stats,
        now: () => ctx.h.now(),
        op: (e) => {
          if (e.type === 'fail' && e.failure !== undefined)
            failed[e.failure.kind] = (failed[e.failure.kind] ?? 0) + 1;
        },
        seed: ctx.seed,
        allowRemote: ctx.suite.allowRemote,
        target,
      });
      started.load = running;
      const abort = () => void running.stop(0);
      ctx.signal.addEventListener('abort', abort, { once: true });
      await running.done;
      await running.stop(ctx.signal.aborted ? 0 : WARMUP_DRAIN_MS);
      ctx.signal.removeEventListener('abort', abort);
      ctx.h.append({
        t: ctx.h.now(),
        kind: 'warmup',
        load: spec.name,
        sessions: stats.totals.started,
        ok: stats.totals.ok,
        failed,
      });
    }),
  );
};
