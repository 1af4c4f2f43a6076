// The run loop: open the run, start the target and wait until it answers, put a proxy in front when a
// fault needs one, start the observers, drive load with the fault timeline, then finish: stop
// everything, judge, write reports. Every exit path (success, failure, exception, interrupt) heals
// faults and stops the target.

import { INVALID, type RunResult } from '../../model/result.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { SuiteRun } from '../suite/variants.ts';
import { invalidate, log, type RunContext } from './context.ts';
import { driveLoad } from './drive-load.ts';
import { finishRun } from './finish.ts';
import { startObservers } from './observe.ts';
import { openJournal, openRun } from './open-run.ts';
import { startProxy } from './start-proxy.ts';
import { awaitReady, startTarget } from './start-target.ts';

export type RunOptions = {
  outDir: string;
  // The run's own folder, when it is not OUT/SUITE (the command line's default, one folder per run).
  dir?: string;
  seed?: number;
  // Aborted by SIGINT/SIGTERM: load stops, faults heal, the target stops, reports are still written.
  signal: AbortSignal;
  // Sees the writer as soon as it exists (progress display).
  onHistory?: (h: HistoryWriter) => void;
  // Renders reports into the run's folder once the result exists.
  writeReports: (r: RunResult) => Promise<void>;
  // Sees what the journal sweep did before the run (for the console).
  onSweep?: (lines: string[]) => void;
};

// The phases between opening and finishing; each returns early (the run invalid or interrupted) when
// the next cannot go on.
const runPhases = async (ctx: RunContext, o: RunOptions): Promise<void> => {
  await openJournal(ctx, o.onSweep);
  const target = await startTarget(ctx);
  if (target === undefined || !(await awaitReady(ctx, target))) return;
  if (!(await startProxy(ctx, target))) return;
  const observers = startObservers(ctx, target);
  await driveLoad(ctx, target, observers);
};

export const runSuite = async (run: SuiteRun, o: RunOptions): Promise<RunResult> => {
  const ctx = await openRun(run, o);
  try {
    await runPhases(ctx, o);
  } catch (e) {
    log(ctx, 'error', `the run failed: ${(e as Error).message}`, { stack: String((e as Error).stack) });
    invalidate(ctx, INVALID.HarnessFailed, `the harness failed: ${(e as Error).message}`);
  }
  return finishRun(ctx, o.writeReports);
};
