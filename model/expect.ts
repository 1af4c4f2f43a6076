// Judging verdicts against a suite's expectation: pass (every check passes) or a reproduction
// ({ fail: [...] }: those checks fail, every other passes).

import type { Verdict } from './verdict.ts';

export type Expectation = 'pass' | { fail: string[] };

export type Judgement = { met: boolean; reasons: string[] };

export const judge = (verdicts: readonly Verdict[], expect: Expectation): Judgement => {
  const mustFail = new Set(expect === 'pass' ? [] : expect.fail);
  const reasons: string[] = [];
  for (const v of verdicts) {
    if (mustFail.has(v.check)) {
      if (v.status !== 'fail') {
        reasons.push(
          `${v.check} was expected to fail (the defect should reproduce) but ${v.status === 'pass' ? 'passed' : 'could not be judged'}: ${v.summary}`,
        );
      }
    } else if (v.status !== 'pass') {
      reasons.push(`${v.check} ${v.status === 'fail' ? 'failed' : 'could not be judged'}: ${v.summary}`);
    }
  }
  for (const name of mustFail) {
    if (!verdicts.some((v) => v.check === name))
      reasons.push(`${name} was expected to fail but did not run.`);
  }
  return { met: reasons.length === 0, reasons };
};
