// Problems found by a zod schema, as the project words them: `field: expected ..., got ... (type)`;
// and the schema leaves the host's inputs share.

import * as z from 'zod';

const describeValue = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  let text = (JSON.stringify(v) as string | undefined) ?? `a ${type}`;
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return `${text} (${type})`;
};

const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`),
    '',
  );

// One line per problem; parse with { reportInput: true } so each can say what it got.
export const describeIssues = (issues: readonly z.core.$ZodIssue[], root = ''): string[] =>
  issues.map((i) => {
    const field = fieldOf(i.path) || root || '(the value)';
    if (i.code === 'unrecognized_keys')
      return `${field}: unknown field ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    return `${field}: expected ${i.message}, got ${describeValue((i as { input?: unknown }).input)}`;
  });

// A whole, non-negative number of milliseconds; `what` says what for.
export const ms = (what: string) =>
  z
    .int({ error: `a whole number of milliseconds (${what})` })
    .nonnegative({ error: `a whole number of milliseconds (${what})` });
