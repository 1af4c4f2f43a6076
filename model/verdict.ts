// Checks: pure functions of the History, each giving pass, fail or unknown with evidence.

import type { History } from './history.ts';

export type Status = 'pass' | 'fail' | 'unknown';

export type Verdict = {
  check: string;
  status: Status;
  // What happened, in words a support engineer can paste into a ticket.
  summary: string;
  evidence: Record<string, unknown>;
};

export type Check<Spec> = {
  name: string;
  run: (history: History, spec: Spec) => Verdict;
};

// Jepsen's merge: fail over unknown over pass.
export const mergeStatus = (statuses: readonly Status[]): Status =>
  statuses.includes('fail') ? 'fail' : statuses.includes('unknown') ? 'unknown' : 'pass';
