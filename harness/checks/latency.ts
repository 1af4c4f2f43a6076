// latency: percentiles of session (or call) latency, scoped to a phase (all, baseline before faults,
// during faults, recovery after), from the merged HdrHistograms of the load windows. Session latency
// is measured from the intended start, so a stalled target shows as latency, not as silence.

import type { History, LoadSample } from '../../model/history.ts';
import { mergeWindows, percentilesMs } from '../../model/latency.ts';
import { human, inPhase, type PhaseName, timeline } from '../../model/timeline.ts';
import type { Check, Verdict } from '../../model/verdict.ts';

export type LatencySpec = {
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
  phase: PhaseName;
  metric: 'session' | 'call';
};

const PHASES: PhaseName[] = ['all', 'baseline', 'faults', 'recovery'];

export const latency: Check<LatencySpec> = {
  name: 'latency',
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
};
