// What a finished (or aborted) run leaves for reports: its verdicts, its judgement and why it ended.

import type { Judgement } from './expect.ts';
import type { FaultView } from './fault-view.ts';
import type { History, OutcomeEvent, ReadyEvent, TargetKind } from './history.ts';
import type { Verdict } from './verdict.ts';

export { EXIT_CODES } from './exit-codes.ts';

export type RunOutcome = 'met' | 'not-met' | 'interrupted' | 'invalid';

// Why a run is invalid (exit 4), by a stable code.
export const INVALID = {
  // The target could not be started (its command failed, the host refused its configuration).
  TargetStart: 'RUN_TARGET_START',
  // No probe session succeeded within target.ready.timeout.
  TargetNotReady: 'RUN_TARGET_NOT_READY',
  // The network fault's proxy could not be started.
  ProxyStart: 'RUN_PROXY_START',
  // A load generator (or the harness itself) was saturated: its latencies would blame the target.
  GeneratorSaturated: 'RUN_GENERATOR_SATURATED',
  // A generator process could not start or died during the run: part of the load never ran.
  GeneratorFailed: 'RUN_GENERATOR_FAILED',
  // The harness itself failed.
  HarnessFailed: 'RUN_HARNESS_FAILED',
} as const;

export type InvalidCode = (typeof INVALID)[keyof typeof INVALID];

export type Invalid = { code: InvalidCode; message: string };

export type RunResult = {
  suite: string;
  file: string;
  dir: string;
  seed: number;
  expect: 'pass' | { fail: string[] };
  outcome: RunOutcome;
  exitCode: number;
  // Why the run is invalid (exit 4): the target never became ready, the generator was saturated.
  invalid?: Invalid;
  judgement: Judgement;
  verdicts: Verdict[];
  // How each fault reads (sentences and tables from its plug-in), by fault id; reports fall back to
  // the generic view for a fault missing here.
  faults?: Record<string, FaultView>;
  target: { kind: TargetKind; pid?: number; host?: string; port?: number };
  durationMs: number;
  history: History;
};

// The outcome the run recorded, if it got that far (a killed harness records none).
export const outcomeOf = (h: History): OutcomeEvent | undefined =>
  h.events.findLast((e): e is OutcomeEvent => e.kind === 'outcome');

// When and where the target first answered, if it did.
export const readyOf = (h: History): ReadyEvent | undefined =>
  h.events.find((e): e is ReadyEvent => e.kind === 'ready');
