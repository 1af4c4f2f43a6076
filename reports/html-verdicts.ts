// The verdict cards of report.html, failing checks first: status, summary, the facts and tables the
// check laid its evidence out in (its view), with the raw evidence under it.

import type { RunResult } from '../model/result.ts';
import type { Cell, Verdict, VerdictView } from '../model/verdict.ts';
import { esc, facts, table } from './html-text.ts';

// A cell's HTML: escaped text, bold where it matters.
const cell = (c: Cell): string => (typeof c === 'string' ? esc(c) : `<b>${esc(c.text)}</b>`);

// A verdict's own view: its facts, then its tables.
const viewHtml = (view: VerdictView): string =>
  (view.facts.length === 0 ? '' : facts(view.facts.map(([k, v]) => [k, cell(v)] as const))) +
  view.tables
    .map(
      (t) =>
        (t.caption === undefined ? '' : `<p class="sub">${esc(t.caption)}</p>`) +
        table(
          t.columns,
          t.rows.map((r) => r.map(cell)),
          t.hot === undefined ? {} : { hot: t.hot },
        ),
    )
    .join('');

const ORDER = { fail: 0, unknown: 1, pass: 2 } as const;
const MARK = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

// Verdicts, failing first, then unknown, then passing; the suite's order within each.
export const orderedVerdicts = (verdicts: readonly Verdict[]): Verdict[] =>
  verdicts
    .map((v, i) => ({ v, i }))
    .sort((a, b) => ORDER[a.v.status] - ORDER[b.v.status] || a.i - b.i)
    .map((x) => x.v);

const card = (v: Verdict, expectedToFail: boolean): string => {
  const asExpected = v.status === (expectedToFail ? 'fail' : 'pass');
  // A failure the suite expects (a reproduction showing its defect) is no alarm: it says so in its own colour.
  const expected = expectedToFail && v.status === 'fail';
  const body = v.view === undefined ? '' : viewHtml(v.view);
  return (
    `<article class="verdict ${v.status}${expected ? ' expected' : ''}" id="check-${esc(v.check)}">` +
    `<header><span class="badge ${expected ? 'expected' : v.status}">${MARK[v.status]}${expected ? ' · expected' : ''}</span><h3>${esc(v.check)}</h3>` +
    (expected
      ? '<span class="tag expected">expected: the suite reproduces this failure</span>'
      : (expectedToFail ? '<span class="tag">expected to fail</span>' : '') +
        `<span class="tag ${asExpected ? 'ok' : 'bad'}">${asExpected ? 'as expected' : 'not as expected'}</span>`) +
    '</header>' +
    `<p class="summary">${esc(v.summary)}</p>${body}` +
    `<details><summary>All evidence (JSON)</summary><pre>${esc(JSON.stringify(v.evidence, null, 2))}</pre></details>` +
    '</article>'
  );
};

// The verdicts section.
export const verdictCards = (r: RunResult): string => {
  const mustFail = new Set(r.expect === 'pass' ? [] : r.expect.fail);
  if (r.verdicts.length === 0)
    return '<p class="empty">No check was judged: the run ended before load started.</p>';
  return orderedVerdicts(r.verdicts)
    .map((v) => card(v, mustFail.has(v.check)))
    .join('\n');
};
