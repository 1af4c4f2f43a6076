// `compare` output: a table for people, and one JSON document for CI.

import type { Comparison, CompareRow } from './compare.ts';

// The JSON document's name and version (the version changes only when a field is removed or renamed).
export const COMPARE_SCHEMA = 'nettcp-chaos/compare';
export const COMPARE_VERSION = 1;

// Everything one `compare` found: each pair of runs, the suites only one side had, and the exit code.
export type CompareDocument = {
  schema: typeof COMPARE_SCHEMA;
  version: typeof COMPARE_VERSION;
  comparisons: Comparison[];
  onlyInA: string[];
  onlyInB: string[];
  regressions: number;
  exitCode: number;
};

const SECTION: Record<CompareRow['section'], string> = {
  checks: 'checks',
  latency: 'session latency of successes, corrected',
  errors: 'errors',
  fds: 'file descriptors',
  probes: 'listener',
};

const verdictText = (r: CompareRow): string => {
  if (r.better === 'n/a') return r.note ?? '';
  if (r.better === 'same') return r.note === undefined ? 'same' : `same: ${r.note}`;
  if (r.better === 'b') return 'B better';
  return r.gated ? 'B WORSE (regression)' : 'B worse (not gated)';
};

const label = (r: CompareRow): string => {
  if (r.section === 'checks') return r.subject;
  if (r.section === 'latency') return `${r.subject} ${r.metric}`;
  if (r.section === 'errors') return r.metric === 'error rate' ? `${r.subject} error rate` : `  ${r.metric}`;
  if (r.section === 'fds') return `${r.subject}: ${r.metric}`;
  return r.metric;
};

const pad = (s: string, n: number): string => (s.length >= n ? `${s}  ` : s.padEnd(n + 2));

// One comparison as a table.
export const renderComparison = (c: Comparison): string => {
  const lines = [
    `A  ${c.a.dir}: ${c.a.suite}, seed ${c.a.seed}, ${c.a.outcome}, started ${c.a.startedAt}`,
    `B  ${c.b.dir}: ${c.b.suite}, seed ${c.b.seed}, ${c.b.outcome}, started ${c.b.startedAt}`,
    ...c.warnings.map((w) => `note: ${w}`),
  ];
  const w0 = Math.max(...c.rows.map((r) => label(r).length + 2), 12);
  const w1 = Math.max(...c.rows.map((r) => r.aText.length), 1);
  const w2 = Math.max(...c.rows.map((r) => r.bText.length), 1);
  lines.push('', `${pad('', w0)}${pad('A', w1)}B`);
  let section = '';
  for (const r of c.rows) {
    if (r.section !== section) {
      section = r.section;
      lines.push(SECTION[r.section]);
    }
    lines.push(
      `${pad(`  ${label(r)}`, w0)}${pad(r.aText, w1)}${pad(r.bText, w2)}${verdictText(r)}`.trimEnd(),
    );
  }
  const worse = c.rows.filter((r) => r.regression).map((r) => `${label(r)} ${r.aText} -> ${r.bText}`);
  lines.push(
    '',
    worse.length === 0
      ? `B is better on ${c.improvements} and regresses on none.`
      : `B is better on ${c.improvements} and regresses on ${c.regressions}: ${worse.join('; ')}.`,
  );
  return lines.join('\n');
};

// The whole output for people.
export const renderCompareText = (d: CompareDocument): string => {
  const parts = d.comparisons.map(renderComparison);
  if (d.onlyInA.length > 0) parts.push(`only in A (not compared): ${d.onlyInA.join(', ')}`);
  if (d.onlyInB.length > 0) parts.push(`only in B (not compared): ${d.onlyInB.join(', ')}`);
  parts.push(
    d.regressions === 0
      ? `no regression (exit ${d.exitCode})`
      : `${d.regressions} regression(s) (exit ${d.exitCode})`,
  );
  return `${parts.join('\n\n')}\n`;
};
