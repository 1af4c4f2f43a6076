// What watches a run while it goes: the observers the suite configures (proc on a local target,
// prometheus exporters) every observe interval, the load generator's own health (a saturated generator
// makes the run invalid), each load's window, and the listener probe opening a fresh session every
// probe interval.

import { INVALID } from '../../model/result.ts';
import { GeneratorHealth, SATURATED_CPU_PERCENT, SATURATED_SAMPLES } from '../observe/generator-health.ts';
import { configuredObservers } from '../observe/observers/index.ts';
import type { ObserverSession } from '../observe/observers/observer.ts';
import { ListenerProber, probeMessagesFor } from '../observe/probe.ts';
import { targetKindOf } from '../suite/schema.ts';
import type { RunningTarget } from '../target/types.ts';
import { invalidate, log, onStop, type RunContext } from './context.ts';
import { probeViaOf, resolveVia } from './resolve-via.ts';

export type Observers = {
  // Takes a detailed reading of the target now (the baseline, the final one), after any under way.
  readTarget: () => Promise<void>;
};

// One observer's readings, one at a time: a tick while a reading is under way is skipped.
const reader = (ctx: RunContext, name: string, session: ObserverSession) => {
  let under: Promise<void> | undefined;
  const read = (detail: boolean): Promise<void> =>
    session.read({ detail }).catch((e: unknown) => {
      log(ctx, 'warn', `the ${name} observer could not read the target: ${(e as Error).message}`);
    });
  let stopped = false;
  return {
    tick: () => void (stopped || (under ??= read(false).finally(() => (under = undefined)))),
    now: async () => {
      await under;
      await read(true);
    },
    // No reading starts from now on; resolves once the one under way (if any) is recorded, so nothing
    // is written after the history closes.
    stop: async () => {
      stopped = true;
      await under;
    },
  };
};

// Starts the observers and the probe; they stop when the run stops.
export const startObservers = (ctx: RunContext, target: RunningTarget): Observers => {
  const { h, suite } = ctx;
  const readers = configuredObservers(suite.observe, targetKindOf(suite)).map(([o, spec]) =>
    reader(
      ctx,
      o.name,
      o.start(spec, {
        target,
        allowRemote: suite.allowRemote,
        intervalMs: suite.observe.interval,
        now: () => h.now(),
        record: (e) => h.append(e),
      }),
    ),
  );
  const generator = new GeneratorHealth();
  let saturated = 0;
  generator.start();
  const tick = setInterval(() => {
    for (const r of readers) r.tick();
    const g = generator.read();
    h.append({ t: h.now(), kind: 'sample', source: 'generator', ...g });
    saturated = g.cpuPercent >= SATURATED_CPU_PERCENT ? saturated + 1 : 0;
    if (saturated >= SATURATED_SAMPLES && ctx.invalid === undefined) {
      invalidate(
        ctx,
        INVALID.GeneratorSaturated,
        `the load generator was saturated (${Math.round(g.cpuPercent)}% of a core for ${saturated} samples in a row); its latencies would blame the target`,
      );
      log(ctx, 'error', ctx.invalid!.message);
    }
    ctx.runner?.emitWindows();
  }, suite.observe.interval);
  const probeVia = probeViaOf(suite);
  const prober = new ListenerProber({
    timeoutMs: suite.probe.timeout,
    calls: suite.probe.calls,
    allowRemote: suite.allowRemote,
    messages: probeMessagesFor(suite.load, probeVia),
    target: resolveVia(probeVia, target, ctx.proxy),
    intervalMs: suite.probe.interval,
    record: (e) => h.append(e),
    now: () => h.now(),
  });
  prober.start();
  onStop(ctx, async () => {
    clearInterval(tick);
    generator.stop();
    await Promise.all(readers.map((r) => r.stop()));
    await prober.stop();
  });
  return { readTarget: async () => void (await Promise.all(readers.map((r) => r.now()))) };
};
