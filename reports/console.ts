// The end summary printed after a run: the outcome, each check's verdict in words, where the reports are.

import type { RunResult } from '../model/result.ts';

const MARK = { pass: 'PASS', fail: 'FAIL', unknown: '????' } as const;

// How a run ended, in the words of the summary and of report.html's banner.
export const OUTCOME_WORDS = {
  met: 'met its expectation',
  'not-met': 'did NOT meet its expectation',
  interrupted: 'was interrupted',
  invalid: 'is INVALID',
} as const;

// The run's expectation in words: `expect pass`, `expect fail: a, b`.
export const expectText = (r: RunResult): string =>
  r.expect === 'pass' ? 'expect pass' : `expect fail: ${r.expect.fail.join(', ')}`;

export const renderSummary = (r: RunResult): string => {
  const lines: string[] = [];
  lines.push(
    `${r.suite}: ${OUTCOME_WORDS[r.outcome]} (${expectText(r)}; seed ${r.seed}; ${(r.durationMs / 1000).toFixed(1)}s)`,
  );
  if (r.invalid !== undefined) lines.push(`  why: ${r.invalid.message.replace(/\n/g, '\n    ')}`);
  const mustFail = new Set(r.expect === 'pass' ? [] : r.expect.fail);
  for (const v of r.verdicts) {
    const expected = mustFail.has(v.check) ? ' (expected to fail)' : '';
    lines.push(`  ${MARK[v.status]} ${v.check}${expected}: ${v.summary}`);
  }
  // For `expect: pass` the FAIL lines are the reasons; a reproduction also needs "expected to fail but passed".
  if (r.outcome === 'not-met' && r.expect !== 'pass')
    for (const reason of r.judgement.reasons) lines.push(`  -> ${reason}`);
  lines.push(`  reports: ${r.dir}/report.html, report.json, junit.xml, history.ndjson`);
  return lines.join('\n');
};
