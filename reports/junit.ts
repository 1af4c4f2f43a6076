// junit.xml: one testsuite per suite, one testcase per check; failures and unknowns carry the summary
// and the evidence. The expectation decides what counts as a failure: in a reproduction suite, the
// check expected to fail passes the testcase when it fails.

import type { RunResult } from '../model/result.ts';

// XML text and attribute escaping (hand-written: five characters, plus the ones XML 1.0 forbids).
const esc = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot carry
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export const renderJunit = (r: RunResult): string => {
  const mustFail = new Set(r.expect === 'pass' ? [] : r.expect.fail);
  const cases = r.verdicts.map((v) => {
    const expected = mustFail.has(v.check) ? 'fail' : 'pass';
    const good = v.status === expected;
    const name = `${v.check}${expected === 'fail' ? ' (expected to fail)' : ''}`;
    const body = good
      ? `<system-out>${esc(v.summary)}</system-out>`
      : `<failure message="${esc(v.summary)}" type="${v.status}">${esc(JSON.stringify(v.evidence, null, 2))}</failure>`;
    return `    <testcase classname="${esc(r.suite)}" name="${esc(name)}" time="0">\n      ${body}\n    </testcase>`;
  });
  if (r.outcome === 'invalid' || r.outcome === 'interrupted') {
    const why =
      r.outcome === 'invalid'
        ? `The run is invalid: ${r.invalid?.message ?? 'unknown reason'}`
        : 'The run was interrupted.';
    cases.push(
      `    <testcase classname="${esc(r.suite)}" name="run" time="0">\n      <error message="${esc(why)}" type="${r.outcome}"/>\n    </testcase>`,
    );
  }
  const failures = r.verdicts.filter((v) => v.status !== (mustFail.has(v.check) ? 'fail' : 'pass')).length;
  const errors = r.outcome === 'invalid' || r.outcome === 'interrupted' ? 1 : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="nettcp-chaos" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${esc(r.suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${esc(r.history.meta.startedAt)}">`,
    `    <properties><property name="seed" value="${r.seed}"/><property name="file" value="${esc(r.file)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
