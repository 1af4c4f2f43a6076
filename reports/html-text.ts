// Small pieces report.html is written with: escaping, numbers as people read them, tables.

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

export { latencyMs, ms, pct, states } from '../model/format.ts';

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
