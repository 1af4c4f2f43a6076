// latency: percentiles of session (or call) latency, scoped to a phase (all, baseline before faults,
// during faults, recovery after), from the merged HdrHistograms of the load windows. Session latency
// is measured from the intended start, so a stalled target shows as latency, not as silence.

import { formatDuration } from '../../model/duration.ts';
import { oneOf, positiveDuration, record } from '../../model/fields.ts';
import { latencyMs, ms } from '../../model/format.ts';
import type { History, LoadSample } from '../../model/history.ts';
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
          columns: ['phase', 'count', ...KEYS],
          rows: phases.map((p) => [
            p === e['phase'] ? `${p} (judged)` : p,
            String(byPhase[p]!['count']),
            ...KEYS.map((k): Cell => {
              const text = byPhase[p]!['count'] === 0 ? '-' : latencyMs(byPhase[p]![k] ?? 0);
              return over(p, k) ? { text: latencyMs(byPhase[p]![k] ?? 0), strong: true } : text;
            }),
          ]),
          hot: phases.map((p) => KEYS.some((k) => over(p, k))),
        },
      ],
      marks: [],
    };
  },
  run: (h: History, spec): Verdict => {
    const tl = timeline(h);
    const samples = h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
    const windowOf = (s: LoadSample) => (spec.metric === 'call' ? s.latency.call : s.latency.corrected);
    const byPhase = Object.fromEntries(
      PHASES.map((phase) => {
        // A window belongs to the phase its middle falls in.
        const hist = mergeWindows(
          samples.filter((s) => inPhase(tl, phase, s.t - s.windowMs / 2)).map(windowOf),
        );
        const p = percentilesMs(hist);
        hist.destroy();
        return [phase, p];
      }),
    ) as Record<PhaseName, ReturnType<typeof percentilesMs>>;
    const measured = byPhase[spec.phase];
    const evidence = {
      metric: spec.metric,
      phase: spec.phase,
      limits: { p50: spec.p50, p90: spec.p90, p99: spec.p99, max: spec.max },
      byPhase,
    };
    if (measured.count === 0) {
      return {
        check: 'latency',
        status: 'unknown',
        summary: `No ${spec.metric} completed in the ${spec.phase} phase, so its latency cannot be judged.`,
        evidence,
      };
    }
    const over = (['p50', 'p90', 'p99', 'max'] as const).filter(
      (k) => spec[k] !== undefined && measured[k] > spec[k],
    );
    const shown = (['p50', 'p90', 'p99', 'max'] as const).map((k) => `${k} ${human(measured[k])}`).join(', ');
    const scope = `${spec.metric} latency (${spec.phase === 'all' ? 'whole load' : spec.phase}, ${measured.count} ${spec.metric}s)`;
    if (over.length > 0) {
      return {
        check: 'latency',
        status: 'fail',
        summary: `${scope} went over its limit: ${over.map((k) => `${k} was ${human(measured[k])}, limit ${human(spec[k]!)}`).join('; ')}. Measured: ${shown}.`,
        evidence,
      };
    }
    return {
      check: 'latency',
      status: 'pass',
      summary: `${scope} stayed within its limits: ${shown}.`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
