// The checks by the names suites use, and running them: a check that throws gives unknown, never pass.

import type { History } from '../../model/history.ts';
import type { ChecksSpec } from '../suite/schema.ts';
import { handlesNoLeak } from './handles-no-leak.ts';
import { latency } from './latency.ts';
import { listenerResponsive } from './listener-responsive.ts';
import { sessionsErrorRate } from './sessions-error-rate.ts';
import { throughputMin } from './throughput-min.ts';
import type { Check, Verdict } from '../../model/verdict.ts';

const CHECKS: Record<string, Check<never>> = {
  [listenerResponsive.name]: listenerResponsive,
  [handlesNoLeak.name]: handlesNoLeak,
  [sessionsErrorRate.name]: sessionsErrorRate,
  [latency.name]: latency,
  [throughputMin.name]: throughputMin,
};

// Runs every configured check on the history, in the suite's order.
export const runChecks = (h: History, spec: ChecksSpec): Verdict[] =>
  Object.entries(spec)
    .filter(([, s]) => s !== undefined)
    .map(([name, s]) => {
      const check = CHECKS[name];
      if (check === undefined) {
        return {
          check: name,
          status: 'unknown',
          summary: `No check is named ${name}.`,
          evidence: {},
        };
      }
      try {
        return check.run(h, s as never);
      } catch (e) {
        return {
          check: name,
          status: 'unknown',
          summary: `The check could not run: ${(e as Error).message}`,
          evidence: { error: String((e as Error).stack ?? e) },
        };
      }
    });
