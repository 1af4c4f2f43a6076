// What a finished (or aborted) run leaves for reports: its verdicts, its judgement and why it ended.

import type { Judgement } from '../checks/expect.ts';
import type { Verdict } from '../checks/types.ts';
import type { History } from '../history/events.ts';

export type RunOutcome = 'met' | 'not-met' | 'interrupted' | 'invalid';

// The exit code of each outcome (README: Exit codes).
export const EXIT_CODES: Readonly<Record<RunOutcome, number>> = {
  met: 0,
  'not-met': 1,
  interrupted: 3,
  invalid: 4,
};

export type RunResult = {
  suite: string;
  file: string;
  dir: string;
  seed: number;
  expect: 'pass' | { fail: string[] };
  outcome: RunOutcome;
  exitCode: number;
  // Why the run is invalid (exit 4): the target never became ready, the generator was saturated.
  invalidReason?: string;
  judgement: Judgement;
  verdicts: Verdict[];
  target: { kind: 'host' | 'command'; pid?: number; host?: string; port?: number };
  durationMs: number;
  history: History;
};
