// Failed sessions as figures of their own, beside latency (which holds successes only): how many failed
// and how (by kind, dropped included), how long they took to fail, and the stretches of load where no
// session succeeded at all (an outage: its windows have no latency, and must never read as fast).

import type { History, LoadSample } from './history.ts';
import { mergeWindows, percentilesMs } from './latency.ts';

// Failures of a set of load windows.
export type FailureFigures = {
  // Sessions that succeeded, failed (by kind; `dropped`: an open model could not start them).
  ok: number;
  failed: number;
  byKind: Record<string, number>;
  // failed / (ok + failed); null when no session ended.
  rate: number | null;
  // How long failed sessions took to fail, from their intended start (count 0: none, or a version 1
  // history, which did not record it).
  timeToFail: ReturnType<typeof percentilesMs>;
};

// The failures of `windows` (merged: one load or several).
export const failureFigures = (windows: readonly LoadSample[]): FailureFigures => {
  const byKind = kindsOf(windows);
  const ok = windows.reduce((n, s) => n + s.ok, 0);
  const failed = Object.values(byKind).reduce((a, b) => a + b, 0);
  const hist = mergeWindows(
    windows.flatMap((s) => (s.latency.failed === undefined ? [] : [s.latency.failed])),
  );
  const timeToFail = percentilesMs(hist);
  hist.destroy();
  return { ok, failed, byKind, rate: ok + failed === 0 ? null : failed / (ok + failed), timeToFail };
};

// Failed sessions of `windows` by kind; `dropped`: an open model could not start them.
export const kindsOf = (windows: readonly LoadSample[]): Record<string, number> => {
  const byKind: Record<string, number> = {};
  for (const s of windows) {
    for (const [k, n] of Object.entries(s.failed)) if (n > 0) byKind[k] = (byKind[k] ?? 0) + n;
    if (s.dropped > 0) byKind['dropped'] = (byKind['dropped'] ?? 0) + s.dropped;
  }
  return byKind;
};

// Kinds by count, most first: `360 reset, 9 timeout`.
export const kindsText = (byKind: Record<string, number>): string =>
  Object.entries(byKind)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');

// A stretch of one load's windows in which sessions failed and none succeeded (with the windows just
// before it in which sessions hung: in flight, none ended).
export type Outage = {
  load: string;
  // Run times (ms): the start of the first window and the end of the last.
  from: number;
  to: number;
  // Sessions that failed in it, by kind.
  byKind: Record<string, number>;
};

const failedIn = (s: LoadSample): number => s.dropped + Object.values(s.failed).reduce((a, b) => a + b, 0);

// Whether no session succeeded in a window in which some failed.
export const outageWindow = (s: LoadSample): boolean => s.ok === 0 && failedIn(s) > 0;

// Whether sessions hung through a window: some in flight, none ended. (Slow sessions of a healthy
// target do that too at the start of load, so a hung window counts only next to failing ones.)
const hung = (s: LoadSample): boolean => s.ok === 0 && failedIn(s) === 0 && s.active > 0;

// Each load's outages, in order of time; consecutive windows join into one.
export const outages = (h: History): Outage[] => {
  const out: Outage[] = [];
  const open = new Map<string, Outage>();
  // Where each load's windows began to hang, if they hang now.
  const hangingFrom = new Map<string, number>();
  for (const e of h.events) {
    if (e.kind !== 'sample' || e.source !== 'load') continue;
    const cur = open.get(e.load);
    if (!outageWindow(e)) {
      if (cur !== undefined && hung(e)) {
        cur.to = e.t;
        continue;
      }
      open.delete(e.load);
      if (hung(e)) hangingFrom.set(e.load, hangingFrom.get(e.load) ?? e.t - e.windowMs);
      else hangingFrom.delete(e.load);
      continue;
    }
    const kinds = kindsOf([e]);
    if (cur === undefined) {
      const o: Outage = {
        load: e.load,
        from: hangingFrom.get(e.load) ?? e.t - e.windowMs,
        to: e.t,
        byKind: kinds,
      };
      hangingFrom.delete(e.load);
      open.set(e.load, o);
      out.push(o);
    } else {
      cur.to = e.t;
      for (const [k, n] of Object.entries(kinds)) cur.byKind[k] = (cur.byKind[k] ?? 0) + n;
    }
  }
  return out.sort((a, b) => a.from - b.from);
};
