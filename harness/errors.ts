// The harness's error codes, and its errors: each a CodedError (protocol/coded-error.ts) with a stable
// code tools match on; never renumber or rename. Why a run is invalid has its own codes (RUN_*) in
// model/result.ts, since reports show them.

import { CodedError } from '../protocol/index.ts';

export const HarnessErrorCode = {
  // The target could not be started.
  TargetStart: 'TARGET_START',
  // A restart was asked of a target that is stopping or already restarting.
  TargetRestart: 'TARGET_RESTART',
  // The host did not answer a control request in time.
  TargetControl: 'TARGET_CONTROL_TIMEOUT',
  // A process the harness starts (or its watchdog) did not start.
  Spawn: 'HARNESS_SPAWN',
  // history.ndjson cannot be read.
  HistoryRead: 'HISTORY_READ',
  // A folder that is not a run.
  RunDir: 'RUN_DIR',
  // The fault journal cannot be written; no fault may act without it.
  Journal: 'RUN_JOURNAL',
  // A fault's inject or heal did not finish within its limit.
  StepTimeout: 'RUN_STEP_TIMEOUT',
  // A fault kind no registry knows.
  UnknownFault: 'RUN_UNKNOWN_FAULT',
  // Suites that do not validate.
  InvalidSuite: 'SUITE_INVALID',
  // A command line that does not parse.
  Usage: 'CLI_USAGE',
  // An HTTP load or probe with a relative url on a target that serves no HTTP.
  NoHttpAddress: 'LOAD_NO_HTTP_ADDRESS',
  // An exporter's text that is not the Prometheus exposition format.
  PromText: 'OBSERVE_PROM_TEXT',
  // A scrape or query of an observer that failed (a gap in the record).
  ObserveRead: 'OBSERVE_READ',
} as const;
export type HarnessErrorCodeValue = (typeof HarnessErrorCode)[keyof typeof HarnessErrorCode];

// An error of the harness.
export class HarnessError extends CodedError<HarnessErrorCodeValue> {
  override name = 'HarnessError';
}

// Declares an error class of the harness with a fixed code, named for what went wrong.
const errorOf = (name: string, code: HarnessErrorCodeValue) =>
  class extends HarnessError {
    override name = name;
    constructor(message: string, options?: ErrorOptions) {
      super(code, message, options);
    }
  };

// Thrown when a target cannot start; the run is invalid (exit 4).
export class TargetStartError extends errorOf('TargetStartError', HarnessErrorCode.TargetStart) {}
// Thrown when a restart is asked of a target that is stopping or already restarting.
export class TargetRestartError extends errorOf('TargetRestartError', HarnessErrorCode.TargetRestart) {}
// A history that cannot be read.
export class HistoryReadError extends errorOf('HistoryReadError', HarnessErrorCode.HistoryRead) {}
// A folder that is not a run, or a history that cannot be read; the message says which and why.
export class RunDirError extends errorOf('RunDirError', HarnessErrorCode.RunDir) {}
// Thrown when the journal cannot be written; no fault may act without it.
export class JournalError extends errorOf('JournalError', HarnessErrorCode.Journal) {}
// A fault step that did not finish within its limit.
export class StepTimeout extends errorOf('StepTimeout', HarnessErrorCode.StepTimeout) {}
// A mistake in how the command was called; printed without a stack, exit 2.
export class UsageError extends errorOf('UsageError', HarnessErrorCode.Usage) {}
// A scrape or query that failed: recorded as a gap in the observer's readings.
export class ObserveReadError extends errorOf('ObserveReadError', HarnessErrorCode.ObserveRead) {}
