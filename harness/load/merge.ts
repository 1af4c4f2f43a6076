// The windows several generators closed at the same request, as one window per load: counts add, the
// HdrHistograms merge exactly (percentiles of the merged histogram, never an average of percentiles).

import type { LoadSample } from '../../model/history.ts';
import { mergeSummaries } from '../../model/latency.ts';

const addCounts = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

// One LoadSample per load (in the order loads first appear), at the harness's time `t` over `windowMs`.
export const mergeLoadSamples = (t: number, windowMs: number, parts: readonly LoadSample[]): LoadSample[] => {
  const byLoad = new Map<string, LoadSample[]>();
  for (const s of parts) {
    const list = byLoad.get(s.load);
    if (list === undefined) byLoad.set(s.load, [s]);
    else list.push(s);
  }
  return [...byLoad].map(([load, mine]): LoadSample => {
    const failed: Record<string, number> = {};
    for (const s of mine) addCounts(failed, s.failed);
    const sum = (f: (s: LoadSample) => number) => mine.reduce((n, s) => n + f(s), 0);
    const failedTime = mine.flatMap((s) => (s.latency.failed === undefined ? [] : [s.latency.failed]));
    return {
      t,
      kind: 'sample',
      source: 'load',
      load,
      windowMs,
      started: sum((s) => s.started),
      ok: sum((s) => s.ok),
      failed,
      dropped: sum((s) => s.dropped),
      active: sum((s) => s.active),
      calls: { ok: sum((s) => s.calls.ok), failed: sum((s) => s.calls.failed) },
      latency: {
        corrected: mergeSummaries(mine.map((s) => s.latency.corrected)),
        uncorrected: mergeSummaries(mine.map((s) => s.latency.uncorrected)),
        call: mergeSummaries(mine.map((s) => s.latency.call)),
        ...(failedTime.length === 0 ? {} : { failed: mergeSummaries(failedTime) }),
      },
    };
  });
};
