// throughput.min: successful sessions per second, per window, never below a floor while load runs.

import { formatDuration } from '../../model/duration.ts';
import { oneOf, positiveDuration, positiveNumber, record } from '../../model/fields.ts';
import { ms } from '../../model/format.ts';
import type { History, LoadSample } from '../../model/history.ts';
import { human, inPhase, timeline } from '../../model/timeline.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  {
    rate: positiveNumber('the lowest allowed rate of successful sessions per second'),
    window: positiveDuration('the window the rate is measured over').prefault('1s'),
    phase: oneOf(['all', 'baseline', 'faults', 'recovery']).default('all'),
  },
  '{ rate: N, window: DURATION, phase }',
);

export const throughputMin = {
  name: 'throughput.min',
  schema,
  describe: (s) => `rate ${s.rate}, window ${formatDuration(s.window)}, phase ${s.phase}`,
  view: (v): VerdictView => {
    const e = v.evidence;
    const lowest = e['lowest'] as { from: number; rate: number } | undefined;
    const windows = (e['windows'] ?? []) as { from: number; rate: number }[];
    const floor = Number(e['floor']);
    const below = windows.filter((w) => w.rate < floor);
    return {
      facts: [
        ['floor', `${String(e['floor'])}/s`],
        ['window', ms(e['windowMs'])],
        ['mean', typeof e['mean'] === 'number' ? `${e['mean'].toFixed(1)}/s` : '-'],
        ['lowest', lowest === undefined ? '-' : `${lowest.rate.toFixed(1)}/s at ${ms(lowest.from)}`],
        ['windows below', `${Number(e['windowsBelow'] ?? 0)} of ${windows.length}`],
      ],
      tables:
        below.length === 0
          ? []
          : [
              {
                columns: ['window from', 'sessions/s'],
                rows: below.slice(0, 20).map((w) => [ms(w.from), w.rate.toFixed(1)]),
              },
            ],
      marks: [],
    };
  },
  run: (h: History, spec): Verdict => {
    const tl = timeline(h);
    const samples = h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
    if (tl.load === undefined) {
      return { check: 'throughput.min', status: 'unknown', summary: 'Load never ran.', evidence: {} };
    }
    // Whole windows inside the load period only: a half window at either end is not a dip.
    const from = tl.load.from;
    const buckets = Math.floor((tl.load.to - from) / spec.window);
    const ok = new Array<number>(buckets).fill(0);
    for (const s of samples) {
      const b = Math.floor((s.t - s.windowMs / 2 - from) / spec.window);
      if (b >= 0 && b < buckets) ok[b]! += s.ok;
    }
    const rates = ok
      .map((n, i) => ({ from: from + i * spec.window, rate: n / (spec.window / 1000) }))
      .filter((w) => inPhase(tl, spec.phase, w.from + spec.window / 2));
    if (rates.length === 0) {
      return {
        check: 'throughput.min',
        status: 'unknown',
        summary: `No whole ${human(spec.window)} window of load fell in the ${spec.phase} phase.`,
        evidence: { windows: 0 },
      };
    }
    const lowest = rates.reduce((m, w) => (w.rate < m.rate ? w : m));
    const mean = rates.reduce((n, w) => n + w.rate, 0) / rates.length;
    const below = rates.filter((w) => w.rate < spec.rate);
    const evidence = {
      floor: spec.rate,
      windowMs: spec.window,
      phase: spec.phase,
      lowest,
      mean,
      windowsBelow: below.length,
      windows: rates,
    };
    const text = `successful sessions per second (per ${human(spec.window)} window, ${spec.phase}) averaged ${mean.toFixed(1)}, lowest ${lowest.rate.toFixed(1)} at ${human(lowest.from)}`;
    return below.length > 0
      ? {
          check: 'throughput.min',
          status: 'fail',
          summary: `Throughput fell below ${spec.rate}/s in ${below.length} of ${rates.length} windows: ${text}.`,
          evidence,
        }
      : {
          check: 'throughput.min',
          status: 'pass',
          summary: `Throughput held at or above ${spec.rate}/s: ${text}.`,
          evidence,
        };
  },
} satisfies Check<typeof schema>;
