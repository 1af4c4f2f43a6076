// The warm-up before the baseline: a few sessions of each load's shape (its via, encoding, calls and
// messages), so a runtime that loads what it needs on its first sessions (.NET loading framework
// assemblies, a service opening its log files) has done so before the leak checks take their baseline.
// Its sessions are not load: they are recorded as one `warmup` event per load, not as ops.

import { checkWarmupSessions } from '../checks/index.ts';
import { seededRandom } from '../load/random.ts';
import { sessionMessages } from '../load/messages.ts';
import { runSession } from '../load/session-runner.ts';
import type { RunningTarget } from '../target/types.ts';
import { phase, type RunContext } from './context.ts';
import { resolveVia } from './resolve-via.ts';

// Sessions of one load in flight at once during the warm-up (a pool warms with a little concurrency).
const WARMUP_CONCURRENCY = 4;
// No new warm-up session starts after this long (a load of long sessions warms with fewer).
const WARMUP_MAX_MS = 15_000;

// Runs the warm-up the configured checks ask for (none: nothing happens).
export const warmUp = async (ctx: RunContext, target: RunningTarget): Promise<void> => {
  const n = checkWarmupSessions(ctx.suite.checks);
  if (n === 0 || ctx.signal.aborted) return;
  phase(ctx, 'warmup');
  const deadline = performance.now() + WARMUP_MAX_MS;
  await Promise.all(
    ctx.suite.load.map(async (spec) => {
      const dial = resolveVia(spec.via, target, ctx.proxy);
      const payload = seededRandom(ctx.seed, `payload:${spec.name}`).bytes(spec.session.payload);
      const messages = sessionMessages(spec.session, payload, dial.via);
      const failed: Record<string, number> = {};
      let ok = 0;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < n && !ctx.signal.aborted && performance.now() < deadline) {
          next++;
          const r = await runSession(dial, spec.session, messages(), {
            allowRemote: ctx.suite.allowRemote,
            signal: ctx.signal,
            onCall: () => {},
          });
          if (r.ok) ok++;
          else failed[r.failure.kind] = (failed[r.failure.kind] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: Math.min(WARMUP_CONCURRENCY, n) }, worker));
      ctx.h.append({ t: ctx.h.now(), kind: 'warmup', load: spec.name, sessions: next, ok, failed });
    }),
  );
};
