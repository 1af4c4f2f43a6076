// report.json: the run's outcome, verdicts and figures, for CI. Versioned: consumers check
// `schema` and `version`; fields are only ever added within a version.

import type { FaultEvent, LoadSample, ProbeEvent, TargetSample } from '../harness/history/events.ts';
import { mergeWindows, percentilesMs } from '../harness/load/latency.ts';
import type { RunResult } from '../harness/run/result.ts';

export const REPORT_SCHEMA = 'nettcp-chaos/report';
export const REPORT_VERSION = 1;

// Totals and latency of each load over the whole run.
const loads = (r: RunResult) => {
  const samples = r.history.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
  const names = [...new Set(samples.map((s) => s.load))];
  return names.map((name) => {
    const mine = samples.filter((s) => s.load === name);
    const failed: Record<string, number> = {};
    for (const s of mine) for (const [k, n] of Object.entries(s.failed)) failed[k] = (failed[k] ?? 0) + n;
    const lat = (pick: (s: LoadSample) => LoadSample['latency']['corrected']) => {
      const h = mergeWindows(mine.map(pick));
      const p = percentilesMs(h);
      h.destroy();
      return p;
    };
    return {
      name,
      started: mine.reduce((n, s) => n + s.started, 0),
      ok: mine.reduce((n, s) => n + s.ok, 0),
      failed,
      dropped: mine.reduce((n, s) => n + s.dropped, 0),
      calls: {
        ok: mine.reduce((n, s) => n + s.calls.ok, 0),
        failed: mine.reduce((n, s) => n + s.calls.failed, 0),
      },
      latencyMs: {
        corrected: lat((s) => s.latency.corrected),
        uncorrected: lat((s) => s.latency.uncorrected),
        call: lat((s) => s.latency.call),
      },
    };
  });
};

const faults = (r: RunResult) => {
  const ev = r.history.events.filter((e): e is FaultEvent => e.kind === 'fault');
  const ids = [...new Set(ev.map((e) => e.id))];
  return ids.map((id) => {
    const mine = ev.filter((e) => e.id === id);
    return {
      id,
      kind: mine[0]!.fault,
      label: mine[0]!.label,
      injectedAt: mine.find((e) => e.type === 'inject')?.t ?? null,
      healedAt: mine.find((e) => e.type === 'heal')?.t ?? null,
      errors: mine.filter((e) => e.type === 'error').map((e) => e.detail),
      notes: mine.filter((e) => e.type === 'note').map((e) => e.detail),
    };
  });
};

const target = (r: RunResult) => {
  const samples = r.history.events.filter(
    (e): e is TargetSample => e.kind === 'sample' && e.source === 'target',
  );
  const peak = samples.reduce(
    (m, s) =>
      Math.max(
        m,
        s.processes.reduce((n, p) => n + p.fds.total, 0),
      ),
    0,
  );
  const pids = [...new Set(samples.flatMap((s) => s.processes.map((p) => p.pid)))];
  return { ...r.target, peakFds: peak, processesSeen: pids.length };
};

const probes = (r: RunResult) => {
  const p = r.history.events.filter((e): e is ProbeEvent => e.kind === 'probe');
  return { total: p.length, failed: p.filter((x) => !x.ok).length };
};

// The report object.
export const buildReport = (r: RunResult) => ({
  schema: REPORT_SCHEMA,
  version: REPORT_VERSION,
  suite: r.suite,
  file: r.file,
  seed: r.seed,
  startedAt: r.history.meta.startedAt,
  durationMs: Math.round(r.durationMs),
  tool: r.history.meta.tool,
  outcome: {
    result: r.outcome,
    exitCode: r.exitCode,
    expect: r.expect,
    met: r.judgement.met,
    reasons: r.judgement.reasons,
    ...(r.invalidReason === undefined ? {} : { invalidReason: r.invalidReason }),
  },
  verdicts: r.verdicts,
  loads: loads(r),
  faults: faults(r),
  probes: probes(r),
  target: target(r),
  files: { history: 'history.ndjson', junit: 'junit.xml', html: 'report.html' },
});

export type Report = ReturnType<typeof buildReport>;

export const renderJson = (r: RunResult): string => `${JSON.stringify(buildReport(r), null, 2)}\n`;
