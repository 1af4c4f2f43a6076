// The checks by the names suites use, the checks block of a suite built from their schemas, and running
// them: a check that throws gives unknown, never pass.

import * as z from 'zod';
import { figureSeries } from '../../model/figures.ts';
import type { History } from '../../model/history.ts';
import { byName } from '../../model/plugin.ts';
import type { Verdict } from '../../model/verdict.ts';
import type { Allowances, AnyCheck } from './check.ts';
import { handlesNoLeak } from './handles-no-leak.ts';
import { latency } from './latency.ts';
import { listenerResponsive } from './listener-responsive.ts';
import { memoryNoGrowth } from './memory-no-growth.ts';
import { processesNoLeak } from './processes-no-leak.ts';
import { repliesIntact } from './replies-intact.ts';
import { sessionsErrorRate } from './sessions-error-rate.ts';
import { throughputMin } from './throughput-min.ts';

// In the order the README's checks table lists them.
export const CHECK_LIST: readonly AnyCheck[] = [
  listenerResponsive,
  handlesNoLeak,
  sessionsErrorRate,
  latency,
  throughputMin,
  memoryNoGrowth,
  processesNoLeak,
  repliesIntact,
];

// Every check by name.
export const CHECKS: ReadonlyMap<string, AnyCheck> = byName(CHECK_LIST);

const names = CHECK_LIST.map((c) => c.name).join(', ');

// A suite's checks block: each check's settings under its name.
export const checksSchema = z
  .strictObject(Object.fromEntries(CHECK_LIST.map((c) => [c.name, c.schema.optional()])), {
    error: `checks by name: ${names}`,
  })
  .meta({ description: `checks by name: ${names}` });

export type ChecksSpec = z.output<typeof checksSchema>;

// The configured checks with their settings, in the suite's order.
export const configured = (spec: ChecksSpec): [AnyCheck, Record<string, unknown>][] =>
  Object.entries(spec).flatMap(([name, s]) => {
    const check = CHECKS.get(name);
    return check === undefined || s === undefined ? [] : [[check, s]];
  });

// Runs every configured check on the history, in the suite's order. A check whose figures no observer
// supplied is unknown, with why.
export const runChecks = (h: History, spec: ChecksSpec): Verdict[] =>
  configured(spec).map(([check, s]): Verdict => {
    const missing = (check.needs?.(s) ?? [])
      .map((f) => figureSeries(h, f).missing)
      .filter((m) => m !== undefined);
    if (missing.length > 0)
      return {
        check: check.name,
        status: 'unknown',
        summary: `${check.name} cannot be judged: ${missing.join('; ')}.`,
        evidence: { missing },
      };
    try {
      const v = check.run(h, s);
      return check.view === undefined ? v : { ...v, view: check.view(v, h) };
    } catch (e) {
      return {
        check: check.name,
        status: 'unknown',
        summary: `The check could not run: ${(e as Error).message}`,
        evidence: { error: String((e as Error).stack ?? e) },
      };
    }
  });

// How long the run waits after load for its final reading: the longest settle a check asks for.
export const settleMs = (spec: ChecksSpec): number | undefined => {
  const asks = configured(spec).flatMap(([c, s]) => (c.settleMs === undefined ? [] : [c.settleMs(s)]));
  return asks.length === 0 ? undefined : Math.max(...asks);
};

// A figure's noise allowance, from whichever configured check sets one (the largest).
export const allowance = (spec: ChecksSpec, figure: keyof Allowances): number | undefined => {
  const values = configured(spec).flatMap(([c, s]) => {
    const v = c.allowances?.(s)[figure];
    return v === undefined ? [] : [v];
  });
  return values.length === 0 ? undefined : Math.max(...values);
};

// How many sessions of each load's shape the run makes before its baseline: the most a check asks for.
export const checkWarmupSessions = (spec: ChecksSpec): number =>
  Math.max(0, ...configured(spec).map(([c, s]) => c.warmupSessions?.(s) ?? 0));
