// The middle of a run: the warm-up the checks ask for, a quiet baseline reading, then load with the fault timeline, the drain, every
// fault healed, the settle, and the final reading the leak checks compare with the baseline.

import { sleep } from '../../faults/common.ts';
import { settleMs } from '../checks/index.ts';
import { LoadRunner } from '../load/runner.ts';
import { faultSchedule } from '../suite/fault-schedule.ts';
import type { RunningTarget } from '../target/types.ts';
import { onStop, phase, type RunContext } from './context.ts';
import { FaultTimeline } from './fault-timeline.ts';
import type { Observers } from './observe.ts';
import { resolveVia } from './resolve-via.ts';
import { warmUp } from './warmup.ts';

export const driveLoad = async (
  ctx: RunContext,
  target: RunningTarget,
  observers: Observers,
): Promise<void> => {
  const { h, suite, signal } = ctx;
  await warmUp(ctx, target);
  // Baseline: a couple of quiet readings before load.
  phase(ctx, 'baseline');
  await sleep(suite.observe.interval * 2, signal);
  await observers.readTarget();

  phase(ctx, 'load');
  const loadStart = h.now();
  const runner = new LoadRunner({
    loads: suite.load,
    targetOf: (l) => resolveVia(l.via, target, ctx.proxy),
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

  phase(ctx, 'drain');
  await runner.stop(signal.aborted ? 0 : suite.drain);
  runner.emitWindows();
  await timeline.healAll();

  phase(ctx, 'settle');
  await sleep(settleMs(suite.checks) ?? suite.observe.interval, signal);
  phase(ctx, 'final');
  await observers.readTarget();
};
