// The shape of a check: its schema (its settings in a suite), how its settings read in a plan, and a
// pure function of the History giving pass, fail or unknown with evidence (Jepsen's checkers).

import type * as z from 'zod';
import type { FigureName } from '../../model/figures.ts';
import type { History } from '../../model/history.ts';
import type { Plugin } from '../../model/plugin.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';

// Figures a run compares across runs, with how far apart two runs may be and still count the same.
export type Allowances = { fds?: number };

export type Check<S extends z.ZodObject = z.ZodObject> = Plugin<S> & {
  run(history: History, spec: z.output<S>): Verdict;
  // How a verdict of this check shows in a report: facts, tables, marks on the charts (from its evidence).
  view?(verdict: Verdict, history: History): VerdictView;
  // How long the run waits after load before its final reading, for this check to judge.
  settleMs?(spec: z.output<S>): number;
  // Noise allowances this check's settings imply (compare uses them).
  allowances?(spec: z.output<S>): Allowances;
  // The figures it judges (an observer must supply them, or the verdict is unknown with why).
  needs?(spec: z.output<S>): readonly FigureName[];
  // Sessions of each load's shape the run makes before the baseline, for this check to judge.
  warmupSessions?(spec: z.output<S>): number;
};

// A check of any kind, as the registry holds it.
export type AnyCheck = Check;
