// memory.noGrowth: the target's resident memory (the sum over its processes) comes back to its warm
// baseline after load, within limits. Robust to a collector's saw-teeth: the baseline is the median of
// the readings before load, the end the lowest reading from the settle on (a real leak keeps memory up;
// a collection that has not run yet does not), and a least-squares slope over the load shows the trend.

import { positiveDuration, record, size } from '../../model/fields.ts';
import { formatDuration } from '../../model/duration.ts';
import { bytes, ms, plain } from '../../model/format.ts';
import type { History, LoadSample, TargetSample } from '../../model/history.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';
import { targetReadings } from './target-readings.ts';

const schema = record(
  {
    maxGrowth: size('the most resident memory may grow over its warm baseline').prefault('50MB'),
    perSession: size('the most it may grow per session started').optional(),
    settle: positiveDuration('the wait after load before the final reading').prefault('3s'),
  },
  '{ maxGrowth: SIZE, perSession: SIZE, settle: DURATION }',
);

const rss = (s: TargetSample): number => s.processes.reduce((n, p) => n + p.rssBytes, 0);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// Least-squares slope (bytes per second) and intercept of points (t in ms, v in bytes).
const fit = (points: readonly { t: number; v: number }[]): { slope: number; at: (t: number) => number } => {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  const perMs = den === 0 ? 0 : num / den;
  return { slope: perMs * 1000, at: (t) => mv + perMs * (t - mt) };
};

export const memoryNoGrowth = {
  name: 'memory.noGrowth',
  schema,
  describe: (s) =>
    `maxGrowth ${bytes(s.maxGrowth)}` +
    (s.perSession === undefined ? '' : `, perSession ${bytes(s.perSession)}`) +
    `, settle ${formatDuration(s.settle)}`,
  settleMs: (s) => s.settle,
  view: (v): VerdictView => {
    const e = v.evidence;
    const line = e['trend'] as { from: { t: number; v: number }; to: { t: number; v: number } } | undefined;
    const num = (k: string) => (typeof e[k] === 'number' ? e[k] : undefined);
    return {
      facts: [
        ['warm baseline', num('baselineBytes') === undefined ? '-' : bytes(num('baselineBytes')!)],
        ['lowest after settle', num('afterBytes') === undefined ? '-' : bytes(num('afterBytes')!)],
        ['growth', num('growthBytes') === undefined ? '-' : bytes(num('growthBytes')!)],
        ['limit', bytes(num('maxGrowthBytes') ?? 0)],
        ['per session', num('perSessionBytes') === undefined ? '-' : bytes(num('perSessionBytes')!)],
        [
          'trend during load',
          num('slopeBytesPerSecond') === undefined ? '-' : `${bytes(num('slopeBytesPerSecond')!)}/s`,
        ],
        ['sessions started', plain(e['sessions'])],
      ],
      tables: [],
      marks:
        line === undefined
          ? []
          : [
              {
                kind: 'line',
                chart: 'memory',
                from: line.from,
                to: line.to,
                label: `trend ${bytes(num('slopeBytesPerSecond') ?? 0)}/s`,
              },
            ],
    };
  },
  run: (h: History, spec): Verdict => {
    const r = targetReadings(h);
    const base = r.before.map(rss);
    const after = r.after.map(rss);
    if (base.length === 0 || after.length === 0) {
      return {
        check: 'memory.noGrowth',
        status: 'unknown',
        summary:
          base.length === 0
            ? 'No reading of the target was taken before load, so there is no baseline to compare with.'
            : 'No reading of the target was taken after load, so its memory cannot be judged.',
        evidence: {},
      };
    }
    const baselineBytes = median(base);
    const afterBytes = Math.min(...after);
    const growthBytes = afterBytes - baselineBytes;
    const sessions = h.events
      .filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load')
      .reduce((n, s) => n + s.started, 0);
    const perSessionBytes = sessions === 0 ? undefined : growthBytes / sessions;
    const points = r.during.map((s) => ({ t: s.t, v: rss(s) }));
    const trend = points.length >= 2 ? fit(points) : undefined;
    const evidence = {
      baselineBytes,
      afterBytes,
      growthBytes,
      maxGrowthBytes: spec.maxGrowth,
      ...(spec.perSession === undefined ? {} : { perSessionLimitBytes: spec.perSession }),
      ...(perSessionBytes === undefined ? {} : { perSessionBytes }),
      ...(trend === undefined
        ? {}
        : {
            slopeBytesPerSecond: trend.slope,
            trend: {
              from: { t: points[0]!.t, v: trend.at(points[0]!.t) },
              to: { t: points.at(-1)!.t, v: trend.at(points.at(-1)!.t) },
            },
          }),
      sessions,
      readings: { before: base.length, during: points.length, after: after.length },
    };
    const overTotal = growthBytes > spec.maxGrowth;
    const overPerSession =
      spec.perSession !== undefined && perSessionBytes !== undefined && perSessionBytes > spec.perSession;
    const figures =
      `resident memory went from ${bytes(baselineBytes)} (warm baseline) to ${bytes(afterBytes)} after settle ` +
      `(${growthBytes >= 0 ? '+' : ''}${bytes(growthBytes)}` +
      (perSessionBytes === undefined ? '' : `, ${bytes(perSessionBytes)} per session over ${sessions}`) +
      ')' +
      (trend === undefined ? '' : `, trending ${bytes(trend.slope)}/s during load`);
    if (overTotal || overPerSession) {
      return {
        check: 'memory.noGrowth',
        status: 'fail',
        summary:
          `The target's ${figures}: over ` +
          [
            overTotal ? `its limit of ${bytes(spec.maxGrowth)}` : '',
            overPerSession ? `${bytes(spec.perSession!)} per session` : '',
          ]
            .filter((x) => x !== '')
            .join(' and ') +
          `. The lowest reading after settle was at ${ms(r.after[after.indexOf(afterBytes)]!.t)}.`,
        evidence,
      };
    }
    return {
      check: 'memory.noGrowth',
      status: 'pass',
      summary: `The target's ${figures}; within ${bytes(spec.maxGrowth)}${spec.perSession === undefined ? '' : ` and ${bytes(spec.perSession)} per session`}.`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
