// report.json: the run's outcome, verdicts and figures, for CI. Its shape is reportSchema
// (report-schema.ts, published as schema/report.schema.json); see there for the versioning rule.

import { genericFaultView } from '../model/fault-view.ts';
import { timeline } from '../model/timeline.ts';
import type { RunResult } from '../model/result.ts';
import { loadFigures, probeFigures, roleFigures, targetSamples } from './figures.ts';
import { type Report, REPORT_SCHEMA, REPORT_VERSION } from './report-schema.ts';

// The schema's name, version and type, where report.json is built.
export { REPORT_SCHEMA, REPORT_VERSION, type Report };

const faults = (r: RunResult): Report['faults'] =>
  timeline(r.history).faultRecords.map((f) => ({
    id: f.id,
    kind: f.kind,
    label: f.label,
    issuedAt: f.intentAt ?? null,
    injectedAt: f.injectedAt ?? null,
    healedAt: f.healedAt ?? null,
    errors: f.errors.map((e) => e.detail),
    notes: f.notes,
    said: (r.faults?.[f.id] ?? genericFaultView(f)).sentences,
  }));

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
    ...(r.invalid === undefined ? {} : { invalidReason: r.invalid.message, invalidCode: r.invalid.code }),
  },
  // The verdicts' views are how report.html lays them out; CI reads the evidence.
  verdicts: r.verdicts.map(({ check, status, summary, evidence }) => ({ check, status, summary, evidence })),
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
