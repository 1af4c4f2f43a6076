// What watches a run while it goes: the target's processes (every observe interval), the load
// generator's own health (a saturated generator makes the run invalid), each load's window, and the
// listener probes (net.tcp, HTTP) each opening a fresh session every probe interval.

import { INVALID } from '../../model/result.ts';
import { GeneratorHealth, SaturationWatch } from '../observe/generator-health.ts';
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
  const saturation = new SaturationWatch();
  // With generator processes, the harness runs the probe and observers only.
  const inProcess = suite.generators === undefined;
  const judge = (who: string, cpuPercent: number, blame: string) => {
    const n = saturation.saturated(who, cpuPercent);
    if (n === undefined || ctx.invalid !== undefined) return;
    invalidate(
      ctx,
      INVALID.GeneratorSaturated,
      `${who} was saturated (${Math.round(cpuPercent)}% of a core for ${n} samples in a row); ${blame}`,
    );
    log(ctx, 'error', ctx.invalid!.message);
  };
  // Each generator process's health comes with its windows.
  const unsubscribe = h.subscribe((e) => {
    if (e.kind === 'sample' && e.source === 'generator' && e.generator !== undefined)
      judge(
        `load generator ${e.generator} (pid ${e.pid})`,
        e.cpuPercent,
        'its latencies would blame the target',
      );
  });
  let sampling: Promise<void> | undefined;
  // Reading a target of thousands of sockets takes a while: readings keep to a fifth of the time.
  let lastTook = 0;
  let lastAt = -Infinity;
  const observe = async (): Promise<void> => {
    const started = performance.now();
    lastAt = started;
    const processes = await sampler.sample();
    lastTook = performance.now() - started;
    h.append({ t: h.now(), kind: 'sample', source: 'target', processes });
  };
  generator.start();
  const tick = setInterval(() => {
    if (performance.now() - lastAt >= lastTook * 5)
      sampling ??= observe().finally(() => (sampling = undefined));
    const g = generator.read();
    h.append({ t: h.now(), kind: 'sample', source: 'generator', ...g });
    if (inProcess) judge('the load generator', g.cpuPercent, 'its latencies would blame the target');
    else judge('the harness process', g.cpuPercent, 'its probe and observers would blame the target');
    void ctx.runner?.emitWindows();
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
    unsubscribe();
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
