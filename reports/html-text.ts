// Small pieces report.html is written with: escaping, numbers as people read them, tables.

import { human } from '../model/timeline.ts';

// HTML text and attribute escaping (hand-written: five characters; a template library would be a
// dependency for one function).
export const esc = (s: unknown): string =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

// JSON for a <script type="application/json">: `<` escaped so no `</script>` or `<!--` in the data
// can end the element early.
export const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

// A run time (ms since the run started) or a duration: 850ms, 8.2s.
export const ms = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? human(x) : '-');

// A latency, with more precision below a second than a run time needs.
export const latencyMs = (x: number): string =>
  x >= 1000 ? `${(x / 1000).toFixed(2)}s` : x >= 10 ? `${Math.round(x)}ms` : `${x.toFixed(1)}ms`;

// A share as a percentage: 0.25%, 12.5%.
export const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

// A table; `rows` hold HTML already escaped, `hot` marks rows to highlight.
export const table = (
  head: readonly string[],
  rows: readonly (readonly string[])[],
  o: { hot?: readonly boolean[]; cls?: string } = {},
): string =>
  `<table${o.cls === undefined ? '' : ` class="${o.cls}"`}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
  rows
    .map(
      (r, i) =>
        `<tr${o.hot?.[i] === true ? ' class="hot"' : ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`,
    )
    .join('') +
  '</tbody></table>';

// A line of facts: `name value` pairs.
export const facts = (pairs: readonly (readonly [string, string])[]): string =>
  `<dl class="facts">${pairs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;

// TCP states as `3 ESTABLISHED, 201 CLOSE_WAIT`.
export const states = (tcp: Record<string, number> | undefined): string =>
  Object.entries(tcp ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';
