// Variants side by side: the runs of one suite's variants in one table of numbers (and as JSON), so a
// conservative setting and a tuned one read against each other: sessions, open timeouts, refusals,
// error rate, latency, the longest probe gap.

import type { OpEvent } from '../model/history.ts';
import type { RunResult } from '../model/result.ts';
import type { Report } from './json.ts';

export type VariantRow = {
  variant: string;
  outcome: string;
  started: number;
  ok: number;
  failed: number;
  dropped: number;
  // Sessions that timed out before they were open (connect or preamble): a listener that did not keep up.
  openTimeouts: number;
  // Sessions the target turned away while opening: a fault, a reset or a refusal.
  openRefused: number;
  errorRate: number | null;
  // Of the sessions that succeeded; null when none did (no latency, never a fast one).
  p50Ms: number | null;
  p99Ms: number | null;
  longestProbeGapMs: number | null;
};

const OPENING = new Set(['connect', 'preamble']);

// A run's row, from its result and the report built from it.
export const variantRow = (variant: string, r: RunResult, report: Report): VariantRow => {
  const loads = report.loads;
  const sum = (f: (l: (typeof loads)[number]) => number) => loads.reduce((n, l) => n + f(l), 0);
  const failed = sum((l) => Object.values(l.failed).reduce((a, b) => a + b, 0));
  const ops = r.history.events.filter(
    (e): e is OpEvent =>
      e.kind === 'op' && e.type === 'fail' && e.failure !== undefined && OPENING.has(e.failure.stage),
  );
  const ended = sum((l) => l.ok) + failed + sum((l) => l.dropped);
  // Percentiles of the busiest load stand for the run (a suite of one load, in the common case).
  const main = [...loads].sort((a, b) => b.started - a.started)[0];
  return {
    variant,
    outcome: r.outcome,
    started: sum((l) => l.started),
    ok: sum((l) => l.ok),
    failed,
    dropped: sum((l) => l.dropped),
    openTimeouts: ops.filter((o) => o.failure!.kind === 'timeout').length,
    openRefused: ops.filter((o) => ['fault', 'reset', 'refused', 'closed'].includes(o.failure!.kind)).length,
    errorRate: ended === 0 ? null : (failed + sum((l) => l.dropped)) / ended,
    p50Ms: main === undefined || main.latencyMs.corrected.count === 0 ? null : main.latencyMs.corrected.p50,
    p99Ms: main === undefined || main.latencyMs.corrected.count === 0 ? null : main.latencyMs.corrected.p99,
    longestProbeGapMs: report.probes.longestGap?.ms ?? null,
  };
};

const ms = (v: number | null): string =>
  v === null ? '-' : v < 1000 ? `${Math.round(v)}ms` : `${(v / 1000).toFixed(2)}s`;

// The table for people.
export const renderVariants = (suite: string, rows: readonly VariantRow[]): string => {
  const head = [
    'variant',
    'result',
    'sessions',
    'ok',
    'failed',
    'dropped',
    'open timeouts',
    'open refused',
    'error rate',
    'p50',
    'p99',
    'probe gap',
  ];
  const body = rows.map((r) => [
    r.variant,
    r.outcome,
    String(r.started),
    String(r.ok),
    String(r.failed),
    String(r.dropped),
    String(r.openTimeouts),
    String(r.openRefused),
    r.errorRate === null ? '-' : `${(r.errorRate * 100).toFixed(1)}%`,
    r.p50Ms === null && r.ok === 0 && r.failed > 0 ? 'none ok' : ms(r.p50Ms),
    r.p99Ms === null && r.ok === 0 && r.failed > 0 ? 'none ok' : ms(r.p99Ms),
    ms(r.longestProbeGapMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [
    `${suite}: variants side by side (latency of the sessions that succeeded, from the intended start)`,
    line(head),
    ...body.map(line),
  ].join('\n');
};
