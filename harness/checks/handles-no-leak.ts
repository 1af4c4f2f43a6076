// handles.noLeak: after drain and settle, the target holds no more handles than it did warm. Sockets
// whose connection is over are judged strictly: any above the baseline after settle, any in CLOSE_WAIT
// (TIME_WAIT is the kernel's). Other handles (files, pipes, live sockets; on Windows every handle)
// leak when they grew through the run: a step in the first third of load that stays flat after it (a
// runtime loading what it needs lazily) is not a leak. Before the baseline the run warms the target with sessions of each load's shape.
// It reads whichever observer supplied the handles figure (/proc, an exporter) and names its source.

import { formatDuration } from '../../model/duration.ts';
import { duration, nonNegativeInt, record } from '../../model/fields.ts';
import {
  describeSource,
  type FigurePoint,
  type FigureSeries,
  figureSeries,
  type Subject,
} from '../../model/figures.ts';
import { ms } from '../../model/format.ts';
import type { History } from '../../model/history.ts';
import { timeline } from '../../model/timeline.ts';
import type { ChartMark, Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  {
    tolerance: nonNegativeInt(
      'how many handles other than sockets above the warm baseline are tolerated',
    ).default(2),
    settle: duration('the wait after load before the final count').prefault('3s'),
    warmup: nonNegativeInt(
      "sessions of each load's shape before the baseline, so a lazy runtime has loaded what it needs (0: none)",
    ).default(10),
  },
  '{ tolerance: N, settle: DURATION, warmup: N }',
);

type Level = { t: number; value: number; sockets?: number; others: number };

// A subject's judgement, as evidence keeps it.
export type Row = {
  key: string;
  name: string;
  scope: Subject['scope'];
  pid?: number;
  role?: string;
  source: string;
  // Started after the baseline (a recycled worker): judged against its own warm level.
  late: boolean;
  baseline: Level;
  // The lowest reading through the first third of load's end (growth that stopped early is forgiven).
  warm?: Level;
  settled: Level;
  closeWait: number;
  socketGrowth: number;
  otherGrowth: number;
  // Other handles grew past the tolerance and kept growing after the first third of load.
  leaked: boolean;
  // They grew past the tolerance, but no reading in the later part of load tells whether they kept on.
  undecided?: boolean;
  // What grew: fd targets (proc) or the series' metric.
  grew: string[];
};

// Sockets judged strictly are those whose connection is over (CLOSE_WAIT, closed but still open);
// a live connection after settle is a client still connected (a probe, a pool) and counts with the
// other handles. An observer with no breakdown gives none: every handle is judged by its growth.
const levelOf = (p: FigurePoint): Level => {
  const sockets = p.parts?.['socket-closed'] ?? p.parts?.['socket'];
  return {
    t: p.t,
    value: p.value,
    ...(sockets === undefined ? {} : { sockets }),
    others: p.value - (sockets ?? 0),
  };
};

// The lowest of each kind over some readings (sessions in flight at one reading are gone at another),
// at the time of the lowest total.
const floor = (points: readonly FigurePoint[]): Level | undefined => {
  if (points.length === 0) return undefined;
  const levels = points.map(levelOf);
  const low = levels.reduce((m, l) => (l.value < m.value ? l : m));
  const sockets = levels.every((l) => l.sockets !== undefined)
    ? Math.min(...levels.map((l) => l.sockets!))
    : undefined;
  return {
    t: low.t,
    value: low.value,
    others: Math.min(...levels.map((l) => l.others)),
    ...(sockets === undefined ? {} : { sockets }),
  };
};

const who = (r: Pick<Row, 'scope' | 'pid' | 'role' | 'name'>): string =>
  r.scope === 'process'
    ? r.role !== undefined
      ? `pid ${r.pid} (${r.role})`
      : `${r.name} (pid ${r.pid})`
    : r.scope === 'group'
      ? r.name
      : 'the host';

// fd targets that grew between two detailed readings, most first.
const grownTargets = (a: Record<string, number> | undefined, b: Record<string, number>): string[] =>
  Object.entries(b)
    .map(([k, n]) => [k, n - (a?.[k] ?? 0)] as const)
    .filter(([k, d]) => d > 0 && !k.startsWith('socket:TIME_WAIT'))
    .sort((x, y) => y[1] - x[1])
    .map(([k, d]) => `+${d} ${k}`);

const MAX_GREW = 8;

const judgeSeries = (
  s: FigureSeries,
  closeWaitOf: (key: string) => { settled: number; baseline: number } | undefined,
  o: { loadFrom: number; loadTo: number; settleFrom: number; settleTo: number; tolerance: number },
): Row | undefined => {
  const settledPoints = s.points.filter((p) => p.t >= o.settleFrom && p.t < o.settleTo);
  // Each kind at its lowest after settle: a probe's socket open at one reading is gone at another.
  const settled = floor(settledPoints);
  // Gone by the end (a recycled worker that exited): its handles went with it.
  if (settled === undefined) return undefined;
  const before = s.points.filter((p) => p.t <= o.loadFrom).at(-1);
  const first = s.points[0]!;
  const late = before === undefined;
  const start = late ? Math.max(o.loadFrom, first.t) : o.loadFrom;
  const warmFrom = start + (o.loadTo - start) / 3;
  const warm = floor(s.points.filter((p) => p.t >= warmFrom && p.t <= o.loadTo));
  const lastLoad = s.points.filter((p) => p.t <= o.loadTo).at(-1);
  const baselinePoint = before ?? lastLoad;
  const baseline =
    before !== undefined ? levelOf(before) : (warm ?? (lastLoad === undefined ? settled : levelOf(lastLoad)));
  const otherGrowth = settled.others - baseline.others;
  // A process that started during the run has its warm level as its baseline: growth past it is growth
  // that continued. One there from the start with no reading in the later part of load (readings late
  // on a busy machine) cannot tell a step from a climb: undecided.
  const keptGrowing = warm === undefined ? late : settled.others - warm.others > o.tolerance;
  const leaked = otherGrowth > o.tolerance && keptGrowing;
  const undecided = otherGrowth > o.tolerance && warm === undefined && !late;
  const socketGrowth =
    settled.sockets === undefined || baseline.sockets === undefined ? 0 : settled.sockets - baseline.sockets;
  const cw = closeWaitOf(s.subject.key);
  const closeWait =
    cw === undefined ? 0 : s.subject.scope === 'host' ? Math.max(0, cw.settled - cw.baseline) : cw.settled;
  const detailBefore = s.points
    .filter((p) => p.t <= (baselinePoint?.t ?? baseline.t) && p.detail !== undefined)
    .at(-1)?.detail;
  const detailAfter = settledPoints.filter((p) => p.detail !== undefined).at(-1)?.detail;
  const source = describeSource(s.source);
  const grew =
    detailAfter !== undefined
      ? grownTargets(detailBefore, detailAfter)
      : settled.value > baseline.value
        ? [
            `${describeSource({ ...s.source, from: '' }).replace(/ \(.*\)$/, '')} ${baseline.value} → ${settled.value}`,
          ]
        : [];
  return {
    key: s.subject.key,
    name: s.subject.name,
    scope: s.subject.scope,
    ...(s.subject.pid === undefined ? {} : { pid: s.subject.pid }),
    ...(s.subject.role === undefined ? {} : { role: s.subject.role }),
    source,
    late,
    baseline,
    ...(warm === undefined ? {} : { warm }),
    settled,
    closeWait,
    socketGrowth,
    otherGrowth,
    leaked,
    ...(undecided ? { undecided } : {}),
    grew,
  };
};

const offends = (r: Row): boolean => r.leaked || r.socketGrowth > 0 || r.closeWait > 0;

const describeRow = (r: Row): string => {
  const parts: string[] = [];
  if (r.socketGrowth > 0)
    parts.push(`${r.socketGrowth} socket(s) more than its baseline whose connection is over`);
  if (r.closeWait > 0)
    parts.push(`${r.closeWait} socket(s) in CLOSE_WAIT${r.scope === 'host' ? ' more than before load' : ''}`);
  if (r.leaked)
    parts.push(
      `${r.otherGrowth} ${r.baseline.sockets === undefined ? 'handle(s)' : 'other fd(s)'} more, growing through the run` +
        (r.warm === undefined
          ? ''
          : ` (${r.warm.others} after the first third of load, ${r.settled.others} at the end)`),
    );
  const grew =
    r.grew.length === 0
      ? ''
      : `; grew: ${r.grew.slice(0, MAX_GREW).join(', ')}${r.grew.length > MAX_GREW ? `, and ${r.grew.length - MAX_GREW} more` : ''}`;
  return `${who(r)} went from ${r.baseline.value} to ${r.settled.value} ${r.baseline.sockets === undefined ? 'handles' : 'fds'}${r.late ? ' (started during the run; its warm level is its baseline)' : ''}: ${parts.join(', ')}${grew} [${r.source}]`;
};

const rowsOf = (v: Verdict): Row[] => (v.evidence['subjects'] ?? []) as Row[];

// When each offending subject's handles first went above its baseline plus the tolerance.
const climbMarks = (h: History, v: Verdict): ChartMark[] => {
  if (v.status !== 'fail') return [];
  const tolerance = Number(v.evidence['tolerance'] ?? 0);
  const loadAt = timeline(h).load?.from ?? 0;
  const view = figureSeries(h, 'handles');
  return rowsOf(v).flatMap((row): ChartMark[] => {
    if (!offends(row)) return [];
    const first = view.series
      .find((s) => s.subject.key === row.key)
      ?.points.find((p) => p.t >= loadAt && p.value > row.baseline.value + tolerance);
    return first === undefined
      ? []
      : [
          {
            kind: 'marker',
            t: first.t,
            label: `${who(row)} handles past baseline ${row.baseline.value} + ${tolerance}`,
            style: 'climb',
          },
        ];
  });
};

const unknown = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({
  check: 'handles.noLeak',
  status: 'unknown',
  summary,
  evidence,
});

export const handlesNoLeak = {
  name: 'handles.noLeak',
  schema,
  describe: (s) =>
    `tolerance ${s.tolerance}, settle ${formatDuration(s.settle)}, warm-up ${s.warmup === 0 ? 'none' : `${s.warmup} session(s) per load`}`,
  settleMs: (s) => s.settle,
  allowances: (s) => ({ fds: s.tolerance }),
  needs: () => ['handles'],
  warmupSessions: (s) => s.warmup,
  view: (v, h): VerdictView => {
    const e = v.evidence;
    const rows = rowsOf(v);
    return {
      facts: [
        ['source', `${e['source'] as string}`],
        ['tolerance (other than sockets)', String(e['tolerance'])],
        ['sockets in CLOSE_WAIT', String(e['closeWait'])],
        ['"handle is now leaked" events', String(e['leakedHandleEvents'])],
        ['readings that failed', `${e['gaps'] as number}`],
        ['baseline read at', ms(e['baselineAt'])],
        ['final read at', ms(e['finalAt'])],
      ],
      tables: [
        {
          columns: [
            'subject',
            'baseline',
            'after the first third',
            'settled',
            'sockets +',
            'CLOSE_WAIT',
            'what grew',
          ],
          rows: rows.map((r) => [
            `${who(r)}${r.late ? ' (started during the run)' : ''}`,
            String(r.baseline.value),
            r.warm === undefined ? '-' : String(r.warm.value),
            String(r.settled.value),
            String(r.socketGrowth),
            String(r.closeWait),
            r.grew.slice(0, MAX_GREW).join(', '),
          ]),
          hot: rows.map(offends),
        },
      ],
      marks: climbMarks(h, v),
    };
  },
  run: (h: History, spec): Verdict => {
    const tl = timeline(h);
    const view = figureSeries(h, 'handles');
    if (tl.load === undefined) return unknown('Load never started, so leaks cannot be judged.');
    const settleFrom = tl.phases.settle ?? tl.final ?? tl.load.to;
    // A reading taken while the target is being stopped says nothing of what it held.
    const settleTo = tl.phases.stopping ?? Infinity;
    const settledAt = (t: number) => t >= settleFrom && t < settleTo;
    const o = {
      loadFrom: tl.load.from,
      loadTo: Math.min(tl.load.to, settleFrom),
      settleFrom,
      settleTo,
      tolerance: spec.tolerance,
    };
    const gaps = view.gaps.length;
    const lastGap = view.gaps.at(-1);
    const afterSettle = view.readings.filter(settledAt);
    if (afterSettle.length === 0)
      return unknown(
        'No reading of the target was taken after load (the run ended early, the target was gone, or the final reading failed' +
          (lastGap === undefined ? '' : `: ${lastGap.error}`) +
          '), so leaks cannot be judged.',
        { gaps },
      );
    if (
      !view.readings.some((t) => t <= tl.load!.from) &&
      view.series.every((s) => s.points[0]!.t > tl.load!.from + 1)
    )
      return unknown(
        'No reading of the target was taken before load' +
          (lastGap === undefined ? '' : ` (${lastGap.error})`) +
          ', so there is no baseline to compare with.',
        { gaps },
      );
    // Sockets in CLOSE_WAIT, of each process (or the host where the exporter only counts those).
    const tcp = figureSeries(h, 'tcp');
    const closeWaitOf = (key: string) => {
      const s =
        tcp.series.find((x) => x.subject.key === key) ?? tcp.series.find((x) => x.subject.scope === 'host');
      if (s === undefined) return undefined;
      const cw = (p: FigurePoint) => p.parts?.['CLOSE_WAIT'] ?? 0;
      const settled = s.points.filter((p) => settledAt(p.t)).map(cw);
      const base = s.points.filter((p) => p.t <= o.loadFrom).at(-1);
      return settled.length === 0
        ? undefined
        : { settled: Math.min(...settled), baseline: base === undefined ? 0 : cw(base) };
    };
    const rows = view.series.flatMap((s) => judgeSeries(s, closeWaitOf, o) ?? []);
    const hostTcp = tcp.series.find((s) => s.subject.scope === 'host');
    if (hostTcp !== undefined && !rows.some((r) => r.key === hostTcp.subject.key)) {
      const cw = closeWaitOf(hostTcp.subject.key);
      if (cw !== undefined && cw.settled > cw.baseline) {
        const base = hostTcp.points.filter((p) => p.t <= o.loadFrom).at(-1);
        const settled = hostTcp.points.filter((p) => settledAt(p.t)).at(-1)!;
        rows.push({
          key: hostTcp.subject.key,
          name: hostTcp.subject.name,
          scope: 'host',
          source: describeSource(hostTcp.source),
          late: false,
          baseline: { t: base?.t ?? settled.t, value: cw.baseline, others: 0 },
          settled: { t: settled.t, value: cw.settled, others: 0 },
          closeWait: cw.settled - cw.baseline,
          socketGrowth: 0,
          otherGrowth: 0,
          leaked: false,
          grew: [`CLOSE_WAIT ${cw.baseline} → ${cw.settled}`],
        });
      }
    }
    const leaked = h.events.filter((e) => e.kind === 'log' && /handle is now leaked/i.test(e.message)).length;
    const offenders = rows.filter(offends);
    const closeWait = rows.reduce((n, r) => n + r.closeWait, 0);
    const evidence = {
      source: `${view.observer} at ${view.from}`,
      tolerance: spec.tolerance,
      settleMs: spec.settle,
      warmup: spec.warmup,
      closeWait,
      leakedHandleEvents: leaked,
      gaps,
      baselineAt: Math.min(...rows.map((r) => r.baseline.t)),
      finalAt: Math.max(...afterSettle),
      subjects: rows,
    };
    const logged = leaked > 0 ? ` The host logged ${leaked} "handle is now leaked" event(s).` : '';
    const settleText = formatDuration(spec.settle);
    if (offenders.length > 0) {
      return {
        check: 'handles.noLeak',
        status: 'fail',
        summary: `After load stopped and ${settleText} of settling, the target held handles it did not hold warm: ${offenders.map(describeRow).join('; ')}.${logged}`,
        evidence,
      };
    }
    const undecided = rows.filter((r) => r.undecided === true);
    if (undecided.length > 0)
      return {
        check: 'handles.noLeak',
        status: 'unknown',
        summary: `${undecided.map((r) => `${who(r)} held ${r.otherGrowth} more handle(s) than its baseline after settle`).join('; ')}, but no reading of the target in the later two thirds of load tells a one-time step (a runtime loading lazily) from growth that kept on: the readings were late or failed (${gaps} failed).`,
        evidence,
      };
    const forgiven = rows.filter((r) => r.otherGrowth > spec.tolerance);
    return {
      check: 'handles.noLeak',
      status: 'pass',
      summary:
        `After load and ${settleText} of settling, the target's ${rows.length} subject(s) held no more sockets than their warm baseline, none in CLOSE_WAIT, and no other handles that kept growing (tolerance ${spec.tolerance}; ${view.observer} at ${view.from}).` +
        (forgiven.length > 0
          ? ` ${forgiven.map((r) => `${who(r)} grew by ${r.otherGrowth} early in load and held steady after (a one-time step, not a leak)`).join('; ')}.`
          : '') +
        (gaps > 0 ? ` ${gaps} reading(s) failed and are gaps in the record.` : '') +
        (leaked > 0
          ? ` The host logged ${leaked} "handle is now leaked" event(s), yet no handle stayed open.`
          : ''),
      evidence,
    };
  },
} satisfies Check<typeof schema>;
