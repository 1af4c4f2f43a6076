// Two runs side by side, for baseline-versus-candidate gates: check statuses, latency percentiles,
// error rates (with their kinds and time to fail), fds per process role and the listener's longest
// gap, each saying which run is better. Latency is of sessions that succeeded, so a run that failed
// more is never called faster on it: its few successes are not a sample of the same service.
// A row "regresses" when B is worse than A beyond the row's noise allowance and the row gates. Runs
// are short and machines busy, so latency percentiles and error rates are compared with their
// sampling uncertainty (how far a percentile or a rate could move with as many sessions as the run
// had), not as bare numbers; README (compare) sets out every allowance.

import { human } from '../model/timeline.ts';
import type { RunResult } from '../model/result.ts';
import { mergeWindows } from '../model/latency.ts';
import { loadSamples } from './figures.ts';
import { latencyMs, pct } from './html-text.ts';
import { buildReport } from './json.ts';
import type { Report } from './report-schema.ts';

type Gated = 'p50' | 'p90' | 'p99';
type Bounds = { low: number; high: number };

// One run as compare sees it: its report, where each load's percentiles could lie, and the suite
// settings that say what counts as noise.
export type CompareSide = {
  dir: string;
  report: Report;
  latencyBounds: Record<string, Record<Gated, Bounds>>;
  probeIntervalMs: number;
  fdTolerance: number;
};

// About 95% confidence: two standard errors.
const Z = 2;

// Where each load's p50/p90/p99 could lie: the percentile of rank p +- Z standard errors of a
// binomial proportion with the run's session count (the usual order-statistic interval).
const latencyBounds = (r: RunResult): CompareSide['latencyBounds'] => {
  const samples = loadSamples(r.history);
  const out: CompareSide['latencyBounds'] = {};
  for (const name of new Set(samples.map((s) => s.load))) {
    const h = mergeWindows(samples.filter((s) => s.load === name).map((s) => s.latency.corrected));
    const n = Math.max(1, h.totalCount);
    const at = (p: number) => h.getValueAtPercentile(Math.min(100, Math.max(0, p * 100))) / 1000;
    const bounds = (p: number): Bounds => {
      const se = Math.sqrt((p * (1 - p)) / n);
      return { low: at(p - Z * se), high: at(p + Z * se) };
    };
    out[name] = { p50: bounds(0.5), p90: bounds(0.9), p99: bounds(0.99) };
    h.destroy();
  }
  return out;
};

// A run ready to compare.
export const compareSide = (
  dir: string,
  r: RunResult,
  o: { probeIntervalMs: number; fdTolerance: number },
): CompareSide => ({ dir, report: buildReport(r), latencyBounds: latencyBounds(r), ...o });

// What the command line can loosen.
export type CompareOptions = {
  // Relative latency allowance (0.2: B may be 20% slower than A before it counts as worse).
  latencyTolerance: number;
};

// The defaults README (compare) documents.
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { latencyTolerance: 0.2 };

// Below this, latency differences on loopback are timer and scheduler noise on a busy machine.
const LATENCY_FLOOR_MS = 2;
// Peak fds move with how many sessions happen to be in flight at a reading.
const PEAK_FDS_RELATIVE = 0.1;

// Which run a line favours; n/a when only one run has it.
export type Better = 'a' | 'b' | 'same' | 'n/a';

// One line of a comparison.
export type CompareRow = {
  section: 'checks' | 'latency' | 'errors' | 'fds' | 'probes';
  // What the row is about: a check, a load, a process role, the listener.
  subject: string;
  metric: string;
  a: number | string | null;
  b: number | string | null;
  aText: string;
  bText: string;
  better: Better;
  // Whether a worse B here fails the gate (max latency and failed probes are shown, not gated).
  gated: boolean;
  regression: boolean;
  note?: string;
};

// Which run a side is.
export type SideInfo = {
  dir: string;
  suite: string;
  seed: number;
  outcome: Report['outcome']['result'];
  startedAt: string;
};

// Two runs compared.
export type Comparison = {
  a: SideInfo;
  b: SideInfo;
  warnings: string[];
  rows: CompareRow[];
  regressions: number;
  improvements: number;
};

// Lower is better; `slack` is how far apart two values may be and still be the same.
const lower = (a: number | null, b: number | null, slack: number): Better => {
  if (a === null || b === null) return 'n/a';
  if (Math.abs(b - a) <= slack) return 'same';
  return b < a ? 'b' : 'a';
};

const row = (r: Omit<CompareRow, 'regression'>): CompareRow => ({
  ...r,
  regression: r.gated && r.better === 'a',
});

// The note of a row only one run has (its A or B side missing).
const onlyIn = (a: unknown, b: unknown): { note?: string } =>
  a === undefined || b === undefined ? { note: `only in ${a === undefined ? 'B' : 'A'}` } : {};

const RANK = { pass: 2, unknown: 1, fail: 0 } as const;
const STATUS = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

const checkRows = (a: Report, b: Report): CompareRow[] => {
  const names = [...new Set([...a.verdicts, ...b.verdicts].map((v) => v.check))];
  return names.map((check) => {
    const va = a.verdicts.find((v) => v.check === check);
    const vb = b.verdicts.find((v) => v.check === check);
    const better: Better =
      va === undefined || vb === undefined
        ? 'n/a'
        : RANK[vb.status] === RANK[va.status]
          ? 'same'
          : RANK[vb.status] > RANK[va.status]
            ? 'b'
            : 'a';
    return row({
      section: 'checks',
      subject: check,
      metric: 'status',
      a: va?.status ?? null,
      b: vb?.status ?? null,
      aText: va === undefined ? 'not run' : STATUS[va.status],
      bText: vb === undefined ? 'not run' : STATUS[vb.status],
      better,
      gated: true,
      ...onlyIn(va, vb),
    });
  });
};

// Which run failed more than the session counts can explain, per load (undefined: neither).
type MoreFailures = ReadonlyMap<string, 'a' | 'b'>;

const latencyRows = (
  a: CompareSide,
  b: CompareSide,
  o: CompareOptions,
  moreFailures: MoreFailures,
): CompareRow[] => {
  const names = [...new Set([...a.report.loads, ...b.report.loads].map((l) => l.name))];
  return names.flatMap((name) => {
    const loadA = a.report.loads.find((l) => l.name === name);
    const loadB = b.report.loads.find((l) => l.name === name);
    const la = loadA?.latencyMs.corrected;
    const lb = loadB?.latencyMs.corrected;
    const worse = moreFailures.get(name);
    // What a side without a success shows: it is no latency at all, however fast its sessions failed.
    const none = (l: typeof loadA) =>
      l === undefined ? '-' : Object.values(l.failed).some((n) => n > 0) ? 'none succeeded' : '-';
    return (['p50', 'p90', 'p99', 'max'] as const).map((p) => {
      const va = la === undefined || la.count === 0 ? null : la[p];
      const vb = lb === undefined || lb.count === 0 ? null : lb[p];
      let better = lower(va, vb, va === null ? 0 : Math.max(va * o.latencyTolerance, LATENCY_FLOOR_MS));
      // A difference the session counts could explain is no difference.
      const ba = p === 'max' ? undefined : a.latencyBounds[name]?.[p];
      const bb = p === 'max' ? undefined : b.latencyBounds[name]?.[p];
      if (ba !== undefined && bb !== undefined) {
        if (better === 'a' && bb.low <= ba.high) better = 'same';
        if (better === 'b' && ba.low <= bb.high) better = 'same';
      }
      let note: string | undefined;
      if (va === null && vb !== null && loadA !== undefined) note = 'no session of A succeeded';
      if (vb === null && va !== null && loadB !== undefined) note = 'no session of B succeeded';
      // The run that failed more is never the faster one: its latency is of the few sessions that got
      // through (an outage of fast resets leaves only the lucky ones). When it is also the slower one,
      // the other is better on both counts.
      if (worse !== undefined && better === worse) {
        note = `${worse.toUpperCase()} is faster only in its fewer successes: not counted (see errors)`;
        better = 'same';
      }
      return row({
        section: 'latency',
        subject: name,
        metric: p,
        a: va,
        b: vb,
        aText: va === null ? none(loadA) : latencyMs(va),
        bText: vb === null ? none(loadB) : latencyMs(vb),
        better,
        // The slowest single session is one sample: shown, never gating.
        gated: p !== 'max',
        ...(note === undefined ? onlyIn(la, lb) : { note }),
      });
    });
  });
};

// The Wilson score interval of a proportion: where a run's error rate could lie given its count.
const wilson = (bad: number, n: number): Bounds => {
  const p = bad / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
};

type LoadReport = Report['loads'][number];

const badOf = (l: LoadReport): number => Object.values(l.failed).reduce((x, y) => x + y, 0) + l.dropped;

// Where a load's error rate could lie (Wilson, about 95%); null when no session ended.
const interval = (l: LoadReport | undefined): Bounds | null => {
  if (l === undefined || l.errorRate === null) return null;
  const bad = badOf(l);
  return wilson(bad, l.ok + bad);
};

// Which run's rate is higher than the counts can explain: the two intervals do not overlap.
const higher = (ia: Bounds | null, ib: Bounds | null): 'a' | 'b' | undefined =>
  ia === null || ib === null ? undefined : ib.low > ia.high ? 'b' : ia.low > ib.high ? 'a' : undefined;

// Per load, the run that failed more (for latency rows: its latency is of fewer successes).
const moreFailuresOf = (a: Report, b: Report): MoreFailures => {
  const out = new Map<string, 'a' | 'b'>();
  for (const la of a.loads) {
    const w = higher(interval(la), interval(b.loads.find((l) => l.name === la.name)));
    if (w !== undefined) out.set(la.name, w);
  }
  return out;
};

const errorRows = (a: Report, b: Report): CompareRow[] => {
  const names = [...new Set([...a.loads, ...b.loads].map((l) => l.name))];
  const text = (l: LoadReport | undefined): string => {
    if (l === undefined) return '-';
    const kinds = Object.entries(l.failed)
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1])
      .map(([k, n]) => `${n} ${k}`);
    if (l.dropped > 0) kinds.push(`${l.dropped} dropped`);
    return `${pct(l.errorRate)}${kinds.length === 0 ? '' : ` (${kinds.join(', ')})`}`;
  };
  return names.flatMap((name) => {
    const la = a.loads.find((l) => l.name === name);
    const lb = b.loads.find((l) => l.name === name);
    const ra = la?.errorRate ?? null;
    const rb = lb?.errorRate ?? null;
    const ia = interval(la);
    const ib = interval(lb);
    // Better only when the two rates' intervals do not overlap.
    const w = higher(ia, ib);
    const better: Better =
      ia === null || ib === null ? 'n/a' : w === undefined ? 'same' : w === 'a' ? 'b' : 'a';
    const rows = [
      row({
        section: 'errors',
        subject: name,
        metric: 'error rate',
        a: ra,
        b: rb,
        aText: text(la),
        bText: text(lb),
        better,
        gated: true,
        ...onlyIn(la, lb),
      }),
    ];
    if (la === undefined || lb === undefined) return rows;
    // Each way of failing, and how long failures took: shown beside the rate, not gated (the rate is).
    const kindsOf = (l: LoadReport): Record<string, number> => ({
      ...l.failed,
      ...(l.dropped > 0 ? { dropped: l.dropped } : {}),
    });
    const ka = kindsOf(la);
    const kb = kindsOf(lb);
    const kinds = [...new Set([...Object.keys(ka), ...Object.keys(kb)])].filter(
      (k) => (ka[k] ?? 0) + (kb[k] ?? 0) > 0,
    );
    const ended = (l: LoadReport) => l.ok + badOf(l);
    for (const k of kinds.sort()) {
      const share = (l: LoadReport, n: number) => (ended(l) === 0 ? null : n / ended(l));
      const na = ka[k] ?? 0;
      const nb = kb[k] ?? 0;
      const kindW = higher(wilson(na, Math.max(1, ended(la))), wilson(nb, Math.max(1, ended(lb))));
      rows.push(
        row({
          section: 'errors',
          subject: name,
          metric: k,
          a: share(la, na),
          b: share(lb, nb),
          aText: `${na} (${pct(share(la, na))})`,
          bText: `${nb} (${pct(share(lb, nb))})`,
          better: kindW === undefined ? 'same' : kindW === 'a' ? 'b' : 'a',
          gated: false,
        }),
      );
    }
    const fa = la.latencyMs.failed;
    const fb = lb.latencyMs.failed;
    if (fa.count + fb.count > 0) {
      for (const p of ['p50', 'p99'] as const) {
        const va = fa.count === 0 ? null : fa[p];
        const vb = fb.count === 0 ? null : fb[p];
        rows.push(
          row({
            section: 'errors',
            subject: name,
            metric: `time to fail ${p}`,
            a: va,
            b: vb,
            aText: va === null ? '-' : latencyMs(va),
            bText: vb === null ? '-' : latencyMs(vb),
            // How fast a session fails is neither better nor worse: it tells how it failed.
            better: 'n/a',
            gated: false,
            note: 'shown, not judged',
          }),
        );
      }
    }
    return rows;
  });
};

const fdRows = (a: CompareSide, b: CompareSide): CompareRow[] => {
  const ra = a.report.target.roles;
  const rb = b.report.target.roles;
  const roles = [...new Set([...ra, ...rb].map((r) => r.role))];
  const tolerance = Math.max(a.fdTolerance, b.fdTolerance);
  return roles.flatMap((role) => {
    const x = ra.find((r) => r.role === role);
    const y = rb.find((r) => r.role === role);
    const only = onlyIn(x, y);
    const peakA = x?.peakFds ?? null;
    const peakB = y?.peakFds ?? null;
    // What the role still held after settle over what it held before load: a leak shows here.
    const left = (r: typeof x) =>
      r === undefined || r.finalFds === null || r.baselineFds === null ? null : r.finalFds - r.baselineFds;
    const la = left(x);
    const lb = left(y);
    const signed = (n: number | null) => (n === null ? '-' : `${n > 0 ? '+' : ''}${n}`);
    return [
      row({
        section: 'fds',
        subject: role,
        metric: 'peak fds',
        a: peakA,
        b: peakB,
        aText: String(peakA ?? '-'),
        bText: String(peakB ?? '-'),
        better: lower(peakA, peakB, Math.max(tolerance, (peakA ?? 0) * PEAK_FDS_RELATIVE)),
        gated: true,
        ...only,
      }),
      row({
        section: 'fds',
        subject: role,
        metric: 'fds left after settle',
        a: la,
        b: lb,
        aText: signed(la),
        bText: signed(lb),
        better: lower(la, lb, tolerance),
        gated: true,
        ...only,
      }),
    ];
  });
};

const probeRows = (a: CompareSide, b: CompareSide): CompareRow[] => {
  const pa = a.report.probes;
  const pb = b.report.probes;
  const ga = pa.longestGap?.ms ?? null;
  const gb = pb.longestGap?.ms ?? null;
  const gapText = (p: Report['probes']) =>
    p.longestGap === null
      ? '-'
      : `${human(p.longestGap.ms)}${p.endedWithoutAnswer ? ' (never answered again)' : ''}`;
  return [
    row({
      section: 'probes',
      subject: 'listener',
      metric: 'longest probe gap',
      a: ga,
      b: gb,
      aText: gapText(pa),
      bText: gapText(pb),
      // A gap is measured in probe intervals, and one slow probe (a busy machine) lengthens it by its own
      // duration: two intervals plus the slowest successful probe of either run is jitter.
      better: lower(
        ga,
        gb,
        2 * Math.max(a.probeIntervalMs, b.probeIntervalMs) + Math.max(pa.slowestOkMs, pb.slowestOkMs),
      ),
      gated: true,
    }),
    row({
      section: 'probes',
      subject: 'listener',
      metric: 'failed probes',
      a: pa.failed,
      b: pb.failed,
      aText: `${pa.failed} of ${pa.total}`,
      bText: `${pb.failed} of ${pb.total}`,
      better: lower(pa.failed, pb.failed, 0),
      // How many probes fail follows the gap's length, which gates already.
      gated: false,
    }),
  ];
};

const info = (s: CompareSide): SideInfo => ({
  dir: s.dir,
  suite: s.report.suite,
  seed: s.report.seed,
  outcome: s.report.outcome.result,
  startedAt: s.report.startedAt,
});

// Compares run B (the candidate) with run A (the baseline).
export const compareRuns = (
  a: CompareSide,
  b: CompareSide,
  o: CompareOptions = DEFAULT_COMPARE_OPTIONS,
): Comparison => {
  const warnings: string[] = [];
  if (a.report.suite !== b.report.suite)
    warnings.push(`the runs are of different suites (${a.report.suite} and ${b.report.suite})`);
  for (const s of [a, b]) {
    if (s.report.outcome.result === 'invalid' || s.report.outcome.result === 'interrupted')
      warnings.push(
        `${s === a ? 'A' : 'B'} was ${s.report.outcome.result === 'invalid' ? 'an invalid run' : 'interrupted'}; its figures may not be comparable`,
      );
  }
  const rows = [
    ...checkRows(a.report, b.report),
    ...latencyRows(a, b, o, moreFailuresOf(a.report, b.report)),
    ...errorRows(a.report, b.report),
    ...fdRows(a, b),
    ...probeRows(a, b),
  ];
  return {
    a: info(a),
    b: info(b),
    warnings,
    rows,
    regressions: rows.filter((r) => r.regression).length,
    improvements: rows.filter((r) => r.gated && r.better === 'b').length,
  };
};
