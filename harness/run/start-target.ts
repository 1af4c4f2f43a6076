// Starting the target (the reference host, or the suite's program) and waiting until a probe session
// succeeds: the run's `ready` fact. A target that cannot start or never answers makes the run invalid.

import { INVALID } from '../../model/result.ts';
import { waitReady } from '../observe/probe.ts';
import { startCommandTarget } from '../target/command-target.ts';
import { startHostTarget } from '../target/host-target.ts';
import { startRemoteTarget } from '../target/remote-target.ts';
import { type RunningTarget, TargetStartError } from '../target/types.ts';
import { invalidate, type LogLevel, log, onStop, phase, type RunContext } from './context.ts';
import { listenerProbes } from './probes.ts';

// Starts the target; undefined (and the run invalid) when it could not.
export const startTarget = async (ctx: RunContext): Promise<RunningTarget | undefined> => {
  const t = ctx.suite.target;
  const h = ctx.h;
  // A line the target printed, or an event the host reported.
  const targetLog = (level: LogLevel, message: string, data: Record<string, unknown>) =>
    h.append({ t: h.now(), kind: 'log', level, source: 'target', message, data });
  const onOutput = (line: string, stream: 'stdout' | 'stderr') => targetLog('info', line, { stream });
  let target: RunningTarget;
  try {
    target =
      t.remote !== undefined
        ? await startRemoteTarget(t.remote, { allowRemote: ctx.suite.allowRemote })
        : t.host !== undefined
          ? await startHostTarget(t.host, {
              watchdog: ctx.watchdog,
              startTimeoutMs: t.ready.timeout,
              onLog: (l) => targetLog(l.level, l.message, l.data),
              onOutput,
            })
          : await startCommandTarget(t, { watchdog: ctx.watchdog, onLine: onOutput });
  } catch (e) {
    if (!(e instanceof TargetStartError)) throw e;
    invalidate(ctx, INVALID.TargetStart, e.message);
    return undefined;
  }
  ctx.target = target;
  onStop(ctx, async () => {
    if (!target.running()) return;
    if (target.kind !== 'remote') phase(ctx, 'stopping');
    await target.stop();
  });
  void target.exited.then((x) => {
    if (!ctx.stopping)
      log(ctx, 'error', `the target exited during the run (code ${x.code}, signal ${x.signal})`, { ...x });
  });
  return target;
};

// Waits until a probe of each listener probed succeeds; false (and the run invalid unless interrupted)
// when one did not within target.ready.timeout.
export const awaitReady = async (ctx: RunContext, target: RunningTarget): Promise<boolean> => {
  const { suite, signal } = ctx;
  const timeout = suite.target.ready.timeout;
  const started = performance.now();
  // Every listener probed must answer once (each within what is left of the timeout).
  for (const probe of listenerProbes(suite, target)) {
    const left = Math.max(0, timeout - (performance.now() - started));
    const ready = await waitReady(
      probe,
      left,
      suite.probe.timeout,
      () => !target.running() || signal.aborted,
    );
    if (ready.ready) continue;
    if (signal.aborted) return false;
    invalidate(
      ctx,
      INVALID.TargetNotReady,
      `the target never became ready: no probe of ${probe.listener} succeeded within ${timeout}ms` +
        (ready.last === undefined ? '' : ` (last: ${ready.last.kind} during ${ready.last.stage})`) +
        (target.running() ? '' : '; the target exited') +
        `\nits last output:\n${target.lastLines().slice(-10).join('\n')}`,
    );
    return false;
  }
  phase(ctx, 'ready');
  ctx.h.append({
    t: ctx.h.now(),
    kind: 'ready',
    ms: Math.round(performance.now() - started),
    ...(target.pid === undefined ? {} : { pid: target.pid }),
    host: target.host,
    port: target.port,
  });
  return true;
};
