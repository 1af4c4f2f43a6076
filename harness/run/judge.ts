// Judging a run, once, for `run` as it ends and for `report DIR` from its history: the checks' verdicts,
// the judgement against the suite's expectation, and the outcome with its exit code.

import { type Judgement, judge } from '../../model/expect.ts';
import type { FaultView } from '../../model/fault-view.ts';
import type { History } from '../../model/history.ts';
import { EXIT_CODES, type Invalid, type RunOutcome } from '../../model/result.ts';
import { timeline } from '../../model/timeline.ts';
import type { Verdict } from '../../model/verdict.ts';
import { runChecks } from '../checks/index.ts';
import type { ParsedSuite } from '../suite/schema.ts';
import { presentFaults } from './present-faults.ts';

export type Judged = {
  verdicts: Verdict[];
  judgement: Judgement;
  outcome: RunOutcome;
  exitCode: number;
  // How each fault reads in reports, by id.
  faults: Record<string, FaultView>;
};

// How a run ended before it was judged: invalid (why), interrupted, or neither.
export type Ending = { invalid?: Invalid; interrupted: boolean };

export const judgeRun = (h: History, suite: ParsedSuite, ending: Ending): Judged => {
  // A run that never reached load has nothing to judge; one invalidated later keeps its verdicts.
  const reachedLoad = timeline(h).phases.load !== undefined;
  const verdicts = ending.invalid === undefined || reachedLoad ? runChecks(h, suite.checks) : [];
  const judgement = judge(verdicts, suite.expect);
  const outcome: RunOutcome =
    ending.invalid !== undefined
      ? 'invalid'
      : ending.interrupted
        ? 'interrupted'
        : judgement.met
          ? 'met'
          : 'not-met';
  return { verdicts, judgement, outcome, exitCode: EXIT_CODES[outcome], faults: presentFaults(h) };
};
