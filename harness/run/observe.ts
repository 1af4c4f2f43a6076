// What watches a run while it goes: the observers the suite configures (proc on a local target,
// prometheus exporters) every observe interval, the load generator's own health (a saturated generator
// makes the run invalid), each load's window, and the listener probes (net.tcp, HTTP) each opening a
// fresh session every probe interval.

import { INVALID } from '../../model/result.ts';
import {
  GeneratorHealth,
  type GeneratorReading,
  judgedCpu,
  SaturationWatch,
} from '../observe/generator-health.ts';
import { configuredObservers } from '../observe/observers/index.ts';
import type { ObserverSession } from '../observe/observers/observer.ts';
import { ListenerProber } from '../observe/probe.ts';
import { targetKindOf } from '../suite/schema.ts';
import type { RunningTarget } from '../target/types.ts';
import { invalidate, loadTargetOf, log, onStop, type RunContext } from './context.ts';
import { listenerProbes } from './probes.ts';

export type Observers = {
  // Takes a detailed reading of the target now (the baseline, the final one), after any under way.
  readTarget: () => Promise<void>;
};

// One observer's readings, one at a time: a tick while a reading is under way is skipped, and so is one
// that comes before four times the last reading's length has passed since it (reading a target of
// thousands of sockets takes a while: readings keep to a fifth of the time).
const reader = (ctx: RunContext, name: string, session: ObserverSession) => {
  let under: Promise<void> | undefined;
  let lastTook = 0;
  let lastAt = -Infinity;
  const read = async (detail: boolean): Promise<void> => {
    const started = performance.now();
    lastAt = started;
    await session.read({ detail }).catch((e: unknown) => {
      log(ctx, 'warn', `the ${name} observer could not read the target: ${(e as Error).message}`);
    });
    lastTook = performance.now() - started;
  };
  let stopped = false;
  return {
    tick: () => {
      if (stopped || performance.now() - lastAt < lastTook * 5) return;
      under ??= read(false).finally(() => (under = undefined));
    },
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

// Starts the observers and the probes; they stop when the run stops.
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
  const saturation = new SaturationWatch();
  // With generator processes, the harness runs the probe and observers only.
  const inProcess = suite.generators === undefined;
  const judge = (who: string, r: Pick<GeneratorReading, 'cpuPercent' | 'loopCpuPercent'>, blame: string) => {
    const cpu = judgedCpu(r);
    const n = saturation.saturated(who, cpu);
    if (n === undefined || ctx.invalid !== undefined) return;
    const busy =
      r.loopCpuPercent === undefined
        ? `${Math.round(cpu)}% of a core`
        : `its event loop busy ${Math.round(cpu)}% of the time`;
    invalidate(
      ctx,
      INVALID.GeneratorSaturated,
      `${who} was saturated (${busy} for ${n} samples in a row); ${blame}`,
    );
    log(ctx, 'error', ctx.invalid!.message);
  };
  // Each generator process's health comes with its windows.
  const unsubscribe = h.subscribe((e) => {
    if (e.kind === 'sample' && e.source === 'generator' && e.generator !== undefined)
      judge(`load generator ${e.generator} (pid ${e.pid})`, e, 'its latencies would blame the target');
  });
  generator.start();
  const tick = setInterval(() => {
    for (const r of readers) r.tick();
    const g = generator.read();
    h.append({ t: h.now(), kind: 'sample', source: 'generator', ...g });
    if (inProcess) judge('the load generator', g, 'its latencies would blame the target');
    else judge('the harness process', g, 'its probe and observers would blame the target');
    void ctx.runner?.emitWindows();
  }, suite.observe.interval);
  const probers = listenerProbes(suite, loadTargetOf(ctx, target)).map(
    (probe) =>
      new ListenerProber({
        probe,
        timeoutMs: suite.probe.timeout,
        intervalMs: suite.probe.interval,
        record: (e) => h.append(e),
        now: () => h.now(),
      }),
  );
  for (const p of probers) p.start();
  onStop(ctx, async () => {
    clearInterval(tick);
    unsubscribe();
    generator.stop();
    await Promise.all(readers.map((r) => r.stop()));
    await Promise.all(probers.map((p) => p.stop()));
  });
  return { readTarget: async () => void (await Promise.all(readers.map((r) => r.now()))) };
};
