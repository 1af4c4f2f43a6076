import t from 'tap';
import { judge } from '../../model/expect.ts';
import { runChecks } from '../../harness/checks/index.ts';
import type { Verdict } from '../../model/verdict.ts';
import { history } from '../helpers/history.ts';

const v = (check: string, status: Verdict['status']): Verdict => ({
  check,
  status,
  summary: `${check} said so`,
  evidence: {},
});

t.test('expect pass: met only when every check passes', async (t) => {
  t.same(judge([v('a', 'pass'), v('b', 'pass')], 'pass'), { met: true, reasons: [] });
  t.same(judge([v('a', 'pass'), v('b', 'fail')], 'pass').reasons, ['b failed: b said so']);
  t.same(judge([v('a', 'unknown')], 'pass').reasons, ['a could not be judged: a said so']);
});

t.test('a reproduction: the named checks fail and the others pass', async (t) => {
  t.equal(judge([v('a', 'fail'), v('b', 'pass')], { fail: ['a'] }).met, true);
  t.same(judge([v('a', 'pass'), v('b', 'pass')], { fail: ['a'] }).reasons, [
    'a was expected to fail (the defect should reproduce) but passed: a said so',
  ]);
  t.same(judge([v('a', 'fail'), v('b', 'fail')], { fail: ['a'] }).reasons, ['b failed: b said so']);
});

t.test('a check that throws is unknown, never pass', async (t) => {
  const broken = { ...history(), events: null } as unknown as ReturnType<typeof history>;
  const [verdict] = runChecks(broken, { 'sessions.errorRate': { max: 0.1, countDropped: true } });
  t.equal(verdict?.status, 'unknown');
  t.match(verdict?.summary, /could not run/);
});
