// The exit codes of the command line, one table for every command and the run result (README: Exit
// codes).

import type { RunOutcome } from './result.ts';

export const ExitCode = {
  // Every suite met its expectation (probe: the session and its calls succeeded).
  Ok: 0,
  // A suite did not meet its expectation (probe: the server faulted, timed out or failed; compare: B
  // regresses).
  Failed: 1,
  // Invalid suite or usage.
  Usage: 2,
  // Interrupted; reports still written.
  Interrupted: 3,
  // The run itself is invalid (saturated load generator, target never ready).
  InvalidRun: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

// The exit code of each run outcome.
export const EXIT_CODES: Readonly<Record<RunOutcome, ExitCodeValue>> = {
  met: ExitCode.Ok,
  'not-met': ExitCode.Failed,
  interrupted: ExitCode.Interrupted,
  invalid: ExitCode.InvalidRun,
};
