// latency: percentiles of session (or call) latency, scoped to a phase (all, baseline before faults,
// during faults, recovery after), from the merged HdrHistograms of the load windows. Session latency
// is measured from the intended start, so a stalled target shows as latency, not as silence. It is the
// latency of sessions that succeeded: failures have their own figures beside it (how many, how, how
// long they took to fail, and where none succeeded), so an outage of fast failures never reads as fast.

import { formatDuration } from '../../model/duration.ts';
import { oneOf, positiveDuration, record } from '../../model/fields.ts';
import { latencyMs, ms, pct } from '../../model/format.ts';
import type { History, LoadSample } from '../../model/history.ts';
import { type FailureFigures, failureFigures, kindsText, outages } from '../../model/failures.ts';
import { mergeWindows, percentilesMs } from '../../model/latency.ts';
import { human, inPhase, type PhaseName, timeline } from '../../model/timeline.ts';
import type { Cell, Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  {
    p50: positiveDuration('the p50 limit').optional(),
    p90: positiveDuration('the p90 limit').optional(),
    p99: positiveDuration('the p99 limit').optional(),
    max: positiveDuration('the max limit').optional(),
    phase: oneOf(['all', 'baseline', 'faults', 'recovery']).default('all'),
    metric: oneOf(['session', 'call']).default('session'),
  },
  '{ p50, p90, p99, max, phase: all | baseline | faults | recovery, metric: session | call }',
);

const PHASES: PhaseName[] = ['all', 'baseline', 'faults', 'recovery'];
const KEYS = ['p50', 'p90', 'p99', 'max'] as const;

export const latency = {
  name: 'latency',
  schema,
  describe: (s) =>
    [
      ...KEYS.filter((k) => s[k] !== undefined).map((k) => `${k} ${formatDuration(s[k]!)}`),
      `phase ${s.phase}`,
      `metric ${s.metric}`,
    ].join(', '),
  view: (v): VerdictView => {
    const e = v.evidence;
    const limits = (e['limits'] ?? {}) as Record<string, number | undefined>;
    const byPhase = (e['byPhase'] ?? {}) as Record<string, Record<string, number>>;
    const failures = (e['failures'] ?? {}) as Record<string, Partial<FailureFigures>>;
    const gaps = (e['noSuccess'] ?? []) as { from: number; to: number; load: string; failed: string }[];
    const phases = Object.keys(byPhase);
    const over = (p: string, k: (typeof KEYS)[number]) =>
      p === e['phase'] && limits[k] !== undefined && (byPhase[p]![k] ?? 0) > limits[k];
    return {
      facts: [
        ['metric', String(e['metric'])],
        ['judged on phase', String(e['phase'])],
        [
          'limits',
          KEYS.filter((k) => limits[k] !== undefined)
            .map((k) => `${k} ${ms(limits[k])}`)
            .join(', ') || 'none',
        ],
      ],
      tables: [
        {
          caption:
            'Latency of the sessions that succeeded; failed ones beside it, with how long they took to fail.',
          columns: ['phase', 'succeeded', ...KEYS, 'failed', 'time to fail p50', 'p99'],
          rows: phases.map((p) => {
            const f = failures[p];
            const ttf = f?.timeToFail;
            const none = byPhase[p]!['count'] === 0;
            return [
              p === e['phase'] ? `${p} (judged)` : p,
              String(byPhase[p]!['count']),
              ...KEYS.map((k): Cell => {
                if (none) return (f?.failed ?? 0) > 0 ? 'none succeeded' : '-';
                const text = latencyMs(byPhase[p]![k] ?? 0);
                return over(p, k) ? { text, strong: true } : text;
              }),
              f === undefined || f.failed === undefined || f.failed === 0
                ? '0'
                : `${f.failed} (${pct(f.rate)}): ${kindsText(f.byKind ?? {})}`,
              ttf === undefined || ttf.count === 0 ? '-' : latencyMs(ttf.p50),
              ttf === undefined || ttf.count === 0 ? '-' : latencyMs(ttf.p99),
            ];
          }),
          hot: phases.map((p) => KEYS.some((k) => over(p, k)) || (failures[p]?.failed ?? 0) > 0),
        },
        ...(gaps.length === 0
          ? []
          : [
              {
                caption:
                  'Where no session succeeded (run time): these stretches have no latency at all, however fast their sessions failed.',
                columns: ['load', 'from', 'to', 'failed'],
                rows: gaps.map((g) => [g.load, ms(g.from), ms(g.to), g.failed]),
                hot: gaps.map(() => true),
              },
            ]),
      ],
      marks: [],
    };
  },
  run: (h: History, spec): Verdict => {
    const tl = timeline(h);
    const samples = h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
    const windowOf = (s: LoadSample) => (spec.metric === 'call' ? s.latency.call : s.latency.corrected);
    // A window belongs to the phase its middle falls in.
    const windowsIn = (phase: PhaseName) => samples.filter((s) => inPhase(tl, phase, s.t - s.windowMs / 2));
    const byPhase = Object.fromEntries(
      PHASES.map((phase) => {
        const hist = mergeWindows(windowsIn(phase).map(windowOf));
        const p = percentilesMs(hist);
        hist.destroy();
        return [phase, p];
      }),
    ) as Record<PhaseName, ReturnType<typeof percentilesMs>>;
    // Sessions that failed, beside the latency of those that succeeded (calls fail with their session).
    const failures = Object.fromEntries(
      PHASES.map((phase) => [phase, failureFigures(windowsIn(phase))]),
    ) as Record<PhaseName, FailureFigures>;
    const judged = failures[spec.phase];
    const noSuccess = outages(h)
      .filter((o) => inPhase(tl, spec.phase, (o.from + o.to) / 2))
      .map((o) => ({ load: o.load, from: o.from, to: o.to, failed: kindsText(o.byKind) }));
    const measured = byPhase[spec.phase];
    const evidence = {
      metric: spec.metric,
      phase: spec.phase,
      limits: { p50: spec.p50, p90: spec.p90, p99: spec.p99, max: spec.max },
      byPhase,
      failures,
      noSuccess,
    };
    const scopeName = spec.phase === 'all' ? 'whole load' : `${spec.phase} phase`;
    // What failed meanwhile, in words: "; 369 other sessions failed (61.5%: 360 reset, 9 timeout) after
    // 2.4ms at the median, and none succeeded from 8.9s to 16.1s".
    const failedText =
      judged.failed === 0
        ? ''
        : `; ${judged.failed} ${measured.count === 0 ? '' : 'other '}sessions failed (${pct(judged.rate)}: ${kindsText(judged.byKind)})` +
          (judged.timeToFail.count === 0 ? '' : ` after ${latencyMs(judged.timeToFail.p50)} at the median`) +
          (noSuccess.length === 0
            ? ''
            : `, and none succeeded ${noSuccess.map((o) => `from ${human(o.from)} to ${human(o.to)}`).join(', ')}`) +
          ': their time to fail is not latency (sessions.errorRate judges failures)';
    if (measured.count === 0) {
      return {
        check: 'latency',
        status: 'unknown',
        summary:
          judged.failed === 0
            ? `No ${spec.metric} completed in the ${spec.phase} phase, so its latency cannot be judged.`
            : `No ${spec.metric} succeeded in the ${scopeName}, so its latency cannot be judged${failedText}.`,
        evidence,
      };
    }
    const over = (['p50', 'p90', 'p99', 'max'] as const).filter(
      (k) => spec[k] !== undefined && measured[k] > spec[k],
    );
    const shown = (['p50', 'p90', 'p99', 'max'] as const).map((k) => `${k} ${human(measured[k])}`).join(', ');
    const scope = `${spec.metric} latency (${spec.phase === 'all' ? 'whole load' : spec.phase}, ${measured.count} ${spec.metric}s that succeeded)`;
    if (over.length > 0) {
      return {
        check: 'latency',
        status: 'fail',
        summary: `${scope} went over its limit: ${over.map((k) => `${k} was ${human(measured[k])}, limit ${human(spec[k]!)}`).join('; ')}. Measured: ${shown}${failedText}.`,
        evidence,
      };
    }
    return {
      check: 'latency',
      status: 'pass',
      summary: `${scope} stayed within its limits: ${shown}${failedText}.`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
