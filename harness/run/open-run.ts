// The first phases of a run: its folder, history and watchdog; then the sweep of what crashed runs left
// open, and this run's own journal.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HISTORY_VERSION } from '../../model/history.ts';
import { HistoryWriter } from '../history/writer.ts';
import { freshSeed } from '../load/random.ts';
import type { SuiteRun } from '../suite/variants.ts';
import { Watchdog } from '../target/watchdog.ts';
import { VERSION } from '../version.ts';
import { log, onStop, phase, type RunContext } from './context.ts';
import { Journal } from './journal.ts';
import { sweepJournals } from './journal-sweep.ts';

export type OpenOptions = {
  outDir: string;
  // The run's own folder, when it is not OUT/SUITE.
  dir?: string;
  seed?: number;
  signal: AbortSignal;
  // Sees the writer as soon as it exists (progress display).
  onHistory?: (h: HistoryWriter) => void;
};

// Opens the run: its history and watchdog exist once this resolves.
export const openRun = async (run: SuiteRun, o: OpenOptions): Promise<RunContext> => {
  const { suite, file, text } = run;
  const seed = o.seed ?? suite.seed ?? freshSeed();
  const dir = o.dir ?? join(o.outDir, suite.name);
  await mkdir(dir, { recursive: true });
  const h = new HistoryWriter(
    {
      version: HISTORY_VERSION,
      suite: suite.name,
      file,
      text,
      seed,
      startedAt: new Date().toISOString(),
      tool: {
        name: 'nettcp-chaos',
        version: VERSION,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
    },
    join(dir, 'history.ndjson'),
  );
  o.onHistory?.(h);
  const started = performance.now();
  const watchdog = await Watchdog.start();
  const ctx: RunContext = {
    run,
    suite,
    seed,
    dir,
    signal: o.signal,
    h,
    watchdog,
    stopping: false,
    started,
    stops: [],
  };
  onStop(ctx, () => watchdog.close());
  return ctx;
};

// Heals what crashed runs left open, then opens this run's journal; the run is `starting` after it.
export const openJournal = async (ctx: RunContext, onSweep?: (lines: string[]) => void): Promise<void> => {
  // What a crashed run left open is healed first; then this run's own journal.
  const sweep = await sweepJournals();
  // Worth a word on the console (progress shows warnings) only when it healed or failed to heal something.
  const acted = sweep.healed > 0 || sweep.journals.some((j) => j.faults.some((f) => f.error !== undefined));
  for (const line of sweep.lines) log(ctx, acted ? 'warn' : 'info', line, { sweep: sweep.journals });
  if (acted) onSweep?.(sweep.lines);
  const journal = await Journal.open(ctx.suite.name);
  ctx.journal = journal;
  // Removed when every fault healed; otherwise left for the next run's sweep.
  onStop(ctx, () => journal.close());
  phase(ctx, 'starting');
  for (const n of ctx.run.notes ?? []) log(ctx, 'info', n);
};
