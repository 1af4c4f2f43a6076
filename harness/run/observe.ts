// What watches a run while it goes: the target's processes (every observe interval), the load
// generator's own health (a saturated generator makes the run invalid), each load's window, and the
// listener probes (net.tcp, HTTP) each opening a fresh session every probe interval.

import { INVALID } from '../../model/result.ts';
import { GeneratorHealth, SATURATED_CPU_PERCENT, SATURATED_SAMPLES } from '../observe/generator-health.ts';
import { ListenerProber } from '../observe/probe.ts';
import { TargetSampler } from '../observe/target-sampler.ts';
import type { RunningTarget } from '../target/types.ts';
import { invalidate, log, onStop, type RunContext } from './context.ts';
import { listenerProbes } from './probes.ts';

export type Observers = {
  // Takes a reading of the target now (and waits for one already under way).
  readTarget: () => Promise<void>;
};

// Starts the observers and the probe; they stop when the run stops.
export const startObservers = (ctx: RunContext, target: RunningTarget): Observers => {
  const { h, suite } = ctx;
  const sampler = new TargetSampler(() => (target.running() ? target.pid : undefined), target.role);
  const generator = new GeneratorHealth();
  let sampling: Promise<void> | undefined;
  let saturated = 0;
  const observe = async (): Promise<void> => {
    const processes = await sampler.sample();
    h.append({ t: h.now(), kind: 'sample', source: 'target', processes });
  };
  generator.start();
  const tick = setInterval(() => {
    sampling ??= observe().finally(() => (sampling = undefined));
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
  const probers = listenerProbes(suite, {
    host: target.host,
    port: target.port,
    httpPort: target.httpPort,
    proxy: ctx.proxy,
  }).map(
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
    generator.stop();
    await Promise.all(probers.map((p) => p.stop()));
  });
  return {
    readTarget: async () => {
      await sampling;
      await observe();
    },
  };
};
