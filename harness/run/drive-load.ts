// The middle of a run: the warm-up the checks ask for, a quiet baseline reading, then load with the fault timeline, the drain, every
// fault healed, the settle, and the final reading the leak checks compare with the baseline.

import { sleep } from '../../faults/common.ts';
import { settleMs } from '../checks/index.ts';
import { LoadRunner } from '../load/runner.ts';
import { faultSchedule, loadEndMs } from '../suite/fault-schedule.ts';
import type { RunningTarget } from '../target/types.ts';
import { type LoadDriver, loadTargetOf, onStop, phase, type RunContext } from './context.ts';
import { FaultTimeline } from './fault-timeline.ts';
import { generatorCount, startGenerators } from './generators.ts';
import type { Observers } from './observe.ts';
import { warmUp } from './warmup.ts';

export const driveLoad = async (
  ctx: RunContext,
  target: RunningTarget,
  observers: Observers,
): Promise<void> => {
  const { h, suite, signal } = ctx;
  const loadTarget = loadTargetOf(ctx, target);
  // Generator processes start before the warm-up and the baseline, so that load starts on time.
  const count = generatorCount(suite);
  const pool = count === undefined ? undefined : await startGenerators(ctx, count, loadTarget);
  if (count !== undefined && pool === undefined) return;
  await warmUp(ctx, loadTarget);
  // Baseline: a couple of quiet readings before load.
  phase(ctx, 'baseline');
  await sleep(suite.observe.interval * 2, signal);
  await observers.readTarget();

  phase(ctx, 'load', loadEndMs(suite));
  const loadStart = h.now();
  const runner: LoadDriver =
    pool ??
    new LoadRunner({
      loads: suite.load,
      target: loadTarget,
      seed: ctx.seed,
      allowRemote: suite.allowRemote,
      history: h,
    });
  const timeline = new FaultTimeline({
    specs: faultSchedule(suite),
    target,
    history: h,
    watchdog: ctx.watchdog,
    seed: ctx.seed,
    signal,
    ...(ctx.proxy === undefined ? {} : { network: ctx.proxy }),
    ...(ctx.journal === undefined ? {} : { journal: ctx.journal }),
  });
  ctx.runner = runner;
  ctx.timeline = timeline;
  // At the end: faults heal after load has stopped (so healing never races new sessions).
  onStop(ctx, () => timeline.healAll());
  onStop(ctx, () => runner.stop(0));
  runner.start();
  timeline.start(loadStart);
  signal.addEventListener('abort', () => void runner.stop(0), { once: true });
  await Promise.race([runner.done, new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);

  phase(ctx, 'drain', signal.aborted ? 0 : suite.drain);
  await runner.stop(signal.aborted ? 0 : suite.drain);
  await runner.emitWindows();
  await timeline.healAll();

  const settle = settleMs(suite.checks) ?? suite.observe.interval;
  phase(ctx, 'settle', settle);
  await sleep(settle, signal);
  phase(ctx, 'final');
  await observers.readTarget();
};
