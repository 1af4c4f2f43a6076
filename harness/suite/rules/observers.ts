// Observers fit the suite: each observer's own checkTarget for the target kind (proc reads only
// processes the harness started), and the URLs observers read stay on loopback unless allowRemote.

import { OBSERVERS } from '../../observe/observers/index.ts';
import { loopbackName, objAt, type RawIssue, type Rule, targetKindOfRaw } from './raw.ts';

export const observerRules: Rule = (raw) => {
  const observe = objAt(raw, 'observe');
  if (observe === undefined) return [];
  const kind = targetKindOfRaw(raw);
  const allowRemote = raw['allowRemote'] === true;
  return Object.entries(observe).flatMap(([name, value]): RawIssue[] => {
    const o = OBSERVERS.get(name);
    if (o === undefined) return [];
    const parsed = o.schema.safeParse(value);
    if (!parsed.success) return [];
    const issues: RawIssue[] = [];
    if (kind !== undefined)
      for (const message of o.checkTarget?.(parsed.data, kind) ?? [])
        issues.push({ path: ['observe', name], message });
    if (!allowRemote) {
      for (const url of o.urls?.(parsed.data) ?? []) {
        const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
        if (!loopbackName(host))
          issues.push({
            path: ['observe', name],
            message: `expected a loopback host unless allowRemote is true, got ${JSON.stringify(host)} (${url})`,
          });
      }
    }
    return issues;
  });
};
