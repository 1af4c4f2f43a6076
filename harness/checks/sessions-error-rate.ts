// sessions.errorRate: the share of sessions that failed (and, by default, that could not start), with
// a breakdown by outcome.

import type { History, LoadSample, OpEvent } from '../../model/history.ts';
import type { Check, Verdict } from '../../model/verdict.ts';

export type ErrorRateSpec = { max: number; countDropped: boolean };

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

export const sessionsErrorRate: Check<ErrorRateSpec> = {
  name: 'sessions.errorRate',
  run: (h: History, spec): Verdict => {
    const samples = h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
    let ok = 0;
    let dropped = 0;
    const failed: Record<string, number> = {};
    for (const s of samples) {
      ok += s.ok;
      dropped += s.dropped;
      for (const [k, n] of Object.entries(s.failed)) failed[k] = (failed[k] ?? 0) + n;
    }
    const failures = Object.values(failed).reduce((a, b) => a + b, 0);
    const bad = failures + (spec.countDropped ? dropped : 0);
    const total = ok + failures + (spec.countDropped ? dropped : 0);
    // A few failed sessions as examples: when, which load, how.
    const examples = h.events
      .filter((e): e is OpEvent => e.kind === 'op' && e.type === 'fail')
      .slice(0, 5)
      .map((o) => ({ t: o.t, load: o.load, session: o.session, failure: o.failure }));
    const evidence = { max: spec.max, total, ok, failed, dropped, countDropped: spec.countDropped, examples };
    if (total === 0) {
      return {
        check: 'sessions.errorRate',
        status: 'unknown',
        summary: 'No session completed, so there is no error rate to judge.',
        evidence,
      };
    }
    const rate = bad / total;
    const breakdown = [
      ...Object.entries(failed)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${n} ${k}`),
      ...(dropped > 0 ? [`${dropped} dropped (could not start)`] : []),
    ].join(', ');
    const words = `${bad} of ${total} sessions failed (${pct(rate)}, limit ${pct(spec.max)})${breakdown === '' ? '' : `: ${breakdown}`}.`;
    return {
      check: 'sessions.errorRate',
      status: rate > spec.max ? 'fail' : 'pass',
      summary: rate > spec.max ? words : `${words.replace(/\.$/, '')}; within the limit.`,
      evidence: { ...evidence, rate },
    };
  },
};
