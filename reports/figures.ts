// The figures report.json, the HTML page and `compare` share, read off the History: each load's
// totals, error rate and merged latency; each process role's fds; the listener's longest gap.

import type { History, LoadSample, TargetSample } from '../model/history.ts';
import { outages } from '../model/failures.ts';
import { mergeWindows, percentilesMs } from '../model/latency.ts';
import { probeGaps } from '../model/probe-gaps.ts';

// Merged latency percentiles in milliseconds.
export type Percentiles = ReturnType<typeof percentilesMs>;

// One load's totals over the whole run.
export type LoadFigures = {
  name: string;
  started: number;
  ok: number;
  failed: Record<string, number>;
  dropped: number;
  // Failed and dropped sessions over all that ended or could not start; null when there were none.
  errorRate: number | null;
  calls: { ok: number; failed: number };
  // Of sessions (and calls) that succeeded; `failed`: how long failed sessions took to fail.
  latencyMs: { corrected: Percentiles; uncorrected: Percentiles; call: Percentiles; failed: Percentiles };
  // Where none of its sessions succeeded while some failed (run times, ms).
  noSuccess: { from: number; to: number }[];
};

// The load windows of a history, in order.
export const loadSamples = (h: History): LoadSample[] =>
  h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');

// The target readings of a history, in order.
export const targetSamples = (h: History): TargetSample[] =>
  h.events.filter((e): e is TargetSample => e.kind === 'sample' && e.source === 'target');

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

// Totals, error rate and latency percentiles of each load.
export const loadFigures = (h: History): LoadFigures[] => {
  const samples = loadSamples(h);
  const gaps = outages(h);
  const names = [...new Set(samples.map((s) => s.load))];
  return names.map((name) => {
    const mine = samples.filter((s) => s.load === name);
    const failed: Record<string, number> = {};
    for (const s of mine) for (const [k, n] of Object.entries(s.failed)) failed[k] = (failed[k] ?? 0) + n;
    const lat = (pick: (s: LoadSample) => LoadSample['latency']['corrected'] | undefined): Percentiles => {
      const hist = mergeWindows(mine.flatMap((s) => pick(s) ?? []));
      const p = percentilesMs(hist);
      hist.destroy();
      return p;
    };
    const ok = sum(mine.map((s) => s.ok));
    const dropped = sum(mine.map((s) => s.dropped));
    const bad = sum(Object.values(failed)) + dropped;
    return {
      name,
      started: sum(mine.map((s) => s.started)),
      ok,
      failed,
      dropped,
      errorRate: ok + bad === 0 ? null : bad / (ok + bad),
      calls: { ok: sum(mine.map((s) => s.calls.ok)), failed: sum(mine.map((s) => s.calls.failed)) },
      latencyMs: {
        corrected: lat((s) => s.latency.corrected),
        uncorrected: lat((s) => s.latency.uncorrected),
        call: lat((s) => s.latency.call),
        failed: lat((s) => s.latency.failed),
      },
      noSuccess: gaps.filter((o) => o.load === name).map(({ from, to }) => ({ from, to })),
    };
  });
};

// One process role's fds (a role's processes summed at each reading, so an overlapped recycle's old
// and new worker count together while both live).
export type RoleFigures = {
  role: string;
  pids: number[];
  // The last reading before load, the highest, and the final one after settle (null when not taken).
  baselineFds: number | null;
  peakFds: number;
  finalFds: number | null;
  peakCloseWait: number;
};

const phaseAt = (h: History, phase: string): number | undefined =>
  h.events.find((e) => e.kind === 'phase' && e.phase === phase)?.t;

// fds of each role the target's processes had.
export const roleFigures = (h: History): RoleFigures[] => {
  const samples = targetSamples(h);
  const loadAt = phaseAt(h, 'load');
  const finalAt = phaseAt(h, 'final');
  const baseline = loadAt === undefined ? undefined : samples.filter((s) => s.t <= loadAt).at(-1);
  const final = finalAt === undefined ? undefined : samples.find((s) => s.t >= finalAt);
  const roles = new Map<string, RoleFigures>();
  const total = (s: TargetSample | undefined, role: string): number | null => {
    const mine = s?.processes.filter((p) => p.role === role) ?? [];
    return mine.length === 0 ? null : sum(mine.map((p) => p.fds.total));
  };
  for (const s of samples) {
    for (const p of s.processes) {
      if (!roles.has(p.role))
        roles.set(p.role, {
          role: p.role,
          pids: [],
          baselineFds: null,
          peakFds: 0,
          finalFds: null,
          peakCloseWait: 0,
        });
      const r = roles.get(p.role)!;
      if (!r.pids.includes(p.pid)) r.pids.push(p.pid);
    }
    for (const r of roles.values()) {
      const mine = s.processes.filter((p) => p.role === r.role);
      r.peakFds = Math.max(r.peakFds, sum(mine.map((p) => p.fds.total)));
      r.peakCloseWait = Math.max(r.peakCloseWait, sum(mine.map((p) => p.tcp['CLOSE_WAIT'] ?? 0)));
    }
  }
  for (const r of roles.values()) {
    r.baselineFds = total(baseline, r.role);
    r.finalFds = total(final, r.role);
  }
  return [...roles.values()];
};

// The listener's probes: how many, how many failed, and the longest stretch without a successful
// one while load ran (listener.responsive's own measure, so the report and the check agree).
export type ProbeFigures = {
  total: number;
  failed: number;
  longestGap: { from: number; to: number; ms: number } | null;
  endedWithoutAnswer: boolean;
  slowestOkMs: number;
};

// The probe figures of a history.
export const probeFigures = (h: History): ProbeFigures => {
  const g = probeGaps(h);
  return {
    total: g.probes.length,
    failed: g.failed,
    longestGap: g.longestGap === undefined || g.probes.length === 0 ? null : g.longestGap,
    endedWithoutAnswer: g.probes.length > 0 && g.endedWithoutAnswer,
    slowestOkMs: Math.round(g.slowestOkMs),
  };
};
