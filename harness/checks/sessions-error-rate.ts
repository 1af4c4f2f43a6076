// sessions.errorRate: the share of sessions that failed (and, by default, that could not start), with
// a breakdown by outcome.

import { bool, fraction, record } from '../../model/fields.ts';
import { ms, pct } from '../../model/format.ts';
import type { History, LoadSample, OpEvent, OpFailure } from '../../model/history.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  {
    max: fraction('the highest allowed share of failed sessions, from 0 to 1'),
    countDropped: bool('whether sessions that could not start count as errors').default(true),
  },
  '{ max: FRACTION }',
);

type Example = { t: number; load: string; session: number; failure?: OpFailure };

export const sessionsErrorRate = {
  name: 'sessions.errorRate',
  schema,
  describe: (s) => `max ${s.max}, countDropped ${s.countDropped}`,
  view: (v): VerdictView => {
    const e = v.evidence;
    const failed = (e['failed'] ?? {}) as Record<string, number>;
    const examples = (e['examples'] ?? []) as Example[];
    const kinds = Object.entries(failed).sort((a, b) => b[1] - a[1]);
    return {
      facts: [
        ['error rate', pct(e['rate'] as number | undefined)],
        ['limit', pct(e['max'] as number)],
        ['sessions', String(e['total'])],
        ['ok', String(e['ok'])],
        ['dropped', `${String(e['dropped'])}${e['countDropped'] === false ? ' (not counted)' : ''}`],
      ],
      tables: [
        ...(kinds.length === 0
          ? []
          : [{ columns: ['failed as', 'sessions'], rows: kinds.map(([k, n]) => [k, String(n)]) }]),
        ...(examples.length === 0
          ? []
          : [
              {
                caption: 'First failed sessions:',
                columns: ['at', 'load', 'session', 'how', 'stage', 'detail'],
                rows: examples.map((x) => [
                  ms(x.t),
                  x.load,
                  String(x.session),
                  x.failure?.kind ?? '-',
                  x.failure?.stage ?? '-',
                  x.failure?.fault ?? x.failure?.message ?? '',
                ]),
              },
            ]),
      ],
      marks: [],
    };
  },
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
} satisfies Check<typeof schema>;
