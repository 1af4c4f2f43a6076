// Rules that span fields (exactly one target kind, faults that fit the target, expectations that name
// configured checks, loopback only, each load client's own), one file each under rules/. They read the raw data, defensively,
// so they are reported in the same pass as type errors instead of after them.

import { clientRules } from './rules/clients.ts';
import { faultRules } from './rules/faults.ts';
import { loopbackRules } from './rules/loopback.ts';
import { nameRules } from './rules/names.ts';
import { observerRules } from './rules/observers.ts';
import { isObj, type RawIssue, type Rule } from './rules/raw.ts';
import { targetRules } from './rules/target.ts';

export type { RawIssue } from './rules/raw.ts';

// In the order their problems are listed.
const RULES: readonly Rule[] = [
  targetRules,
  loopbackRules,
  clientRules,
  faultRules,
  observerRules,
  nameRules,
];

export const crossChecks = (raw: unknown): RawIssue[] => (isObj(raw) ? RULES.flatMap((r) => r(raw)) : []);
