// report.json: the run's outcome, verdicts and figures, for CI. Its shape is reportSchema
// (report-schema.ts, published as schema/report.schema.json); see there for the versioning rule.

import type { FaultEvent } from '../harness/history/events.ts';
import type { RunResult } from '../harness/run/result.ts';
import { loadFigures, probeFigures, roleFigures, targetSamples } from './figures.ts';
import { type Report, REPORT_SCHEMA, REPORT_VERSION } from './report-schema.ts';

// The schema's name, version and type, where report.json is built.
export { REPORT_SCHEMA, REPORT_VERSION, type Report };

const faults = (r: RunResult): Report['faults'] => {
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

const target = (r: RunResult): Report['target'] => {
  const samples = targetSamples(r.history);
  const peak = samples.reduce(
    (m, s) =>
      Math.max(
        m,
        s.processes.reduce((n, p) => n + p.fds.total, 0),
      ),
    0,
  );
  const pids = new Set(samples.flatMap((s) => s.processes.map((p) => p.pid)));
  const { kind, pid, host, port } = r.target;
  return {
    kind,
    ...(pid === undefined ? {} : { pid }),
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    peakFds: peak,
    processesSeen: pids.size,
    roles: roleFigures(r.history),
  };
};

// The report object.
export const buildReport = (r: RunResult): Report => ({
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
  loads: loadFigures(r.history),
  faults: faults(r),
  probes: probeFigures(r.history),
  target: target(r),
  files: { history: 'history.ndjson', junit: 'junit.xml', html: 'report.html' },
});

// Run times and latencies to the microsecond, as history.ndjson keeps them.
const roundFloats = (_k: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;

// report.json's text of a report already built.
export const reportText = (report: Report): string => `${JSON.stringify(report, roundFloats, 2)}\n`;

// report.json's text.
export const renderJson = (r: RunResult): string => reportText(buildReport(r));
