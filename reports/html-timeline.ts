// The timeline charts of report.html as data: series per chart, fault windows and marks, all read off
// the History and the verdicts. The page's script only draws what this gives it (x in seconds since
// the run started, the same range on every chart so windows and marks line up).

import type { ChartMark, Verdict } from '../model/verdict.ts';
import { human, timeline } from '../model/timeline.ts';
import { kindsOf, kindsText, outages } from '../model/failures.ts';
import type { History, LoadSample, ProbeEvent, ProcessSample, TargetSample } from '../model/history.ts';
import { loadSamples, probeFigures, targetSamples } from './figures.ts';
import { keepIndices, pick } from './downsample.ts';

// One line, set of points or stacked area of a chart.
export type ChartSeries = {
  label: string;
  t: number[];
  v: (number | null)[];
  // What the legend shows when `v` is stacked (each series' own value).
  raw?: (number | null)[];
  style: 'line' | 'points' | 'area';
  color: string;
  dash?: boolean;
  // Line width in CSS pixels (1.5 by default).
  width?: number;
};

// One chart of the timeline.
export type ChartSpec = {
  id: string;
  title: string;
  // One line under the title saying how to read it.
  note: string;
  unit: string;
  log: boolean;
  series: ChartSeries[];
};

// A shaded stretch: a fault window from when it was issued (every chart), the listener's longest gap
// (the probe chart), or where no session succeeded (an outage: the session charts).
export type Band = {
  from: number;
  to: number;
  label: string;
  kind: 'fault' | 'gap' | 'outage';
  chart?: string;
};

// A moment: phase changes, when the probe went dark, when a process's fds climbed, errors, and when an
// instant fault (a recycle, a kill) took effect.
export type Marker = {
  t: number;
  label: string;
  kind: 'phase' | 'dark' | 'climb' | 'error' | 'effect';
  chart?: string;
};

// Everything the page's script draws.
export type TimelineData = { end: number; charts: ChartSpec[]; bands: Band[]; markers: Marker[] };

// Seconds with millisecond precision: the page's x axis.
const sec = (ms: number): number => Math.round(ms) / 1000;
// Three significant decimals are all a chart can show; the rest only makes the file bigger.
const round = (x: number): number => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);

// A colour-blind-safe qualitative palette (Okabe and Ito).
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
const colour = (i: number): string => PALETTE[i % PALETTE.length]!;

// More processes than this and the fd chart draws one line per role instead of one per pid.
const MAX_PROCESS_LINES = 12;

const sessionsChart = (samples: readonly LoadSample[]): ChartSpec => {
  const names = [...new Set(samples.map((s) => s.load))];
  // Each way of failing has its own dashed line, in the same colour for every load.
  const kinds = Object.keys(kindsOf(samples)).sort();
  const series = names.flatMap((name, i): ChartSeries[] => {
    const mine = samples.filter((s) => s.load === name);
    const t = mine.map((s) => sec(s.t - s.windowMs / 2));
    const per = (n: number, windowMs: number) => round(n / (windowMs / 1000));
    const prefix = names.length === 1 ? '' : `${name} `;
    return [
      {
        label: `${prefix}ok/s`,
        t,
        v: mine.map((s) => per(s.ok, s.windowMs)),
        style: 'line',
        color: colour(i),
      },
      ...kinds.map((kind, k): ChartSeries => ({
        label: `${prefix}${kind}/s`,
        t,
        v: mine.map((s) => per(kind === 'dropped' ? s.dropped : (s.failed[kind] ?? 0), s.windowMs)),
        style: 'line',
        color: FAILURE_COLOURS[k % FAILURE_COLOURS.length]!,
        dash: true,
      })),
    ];
  });
  return {
    id: 'sessions',
    title: 'Sessions per second',
    note: 'Sessions that succeeded (solid) and those that failed, one dashed line per way of failing, per load window.',
    unit: '/s',
    log: false,
    series,
  };
};

// Failures in warm colours apart from the palette's blue and green, so they never read as successes.
const FAILURE_COLOURS = ['#D55E00', '#CC79A7', '#E69F00', '#882255', '#AA4499', '#661100'];

const PERCENTILE_COLOURS = { p50: '#0072B2', p90: '#56B4E9', p99: '#009E73', max: '#999999' } as const;

const latencyChart = (samples: readonly LoadSample[]): ChartSpec => {
  const names = [...new Set(samples.map((s) => s.load))];
  // max first and thin, so p99 (often the same value in a small window) is drawn over it.
  const percentiles = ['max', 'p99', 'p90', 'p50'] as const;
  const series = names.flatMap((name, i): ChartSeries[] => {
    const mine = samples.filter((s) => s.load === name);
    const t = mine.map((s) => sec(s.t - s.windowMs / 2));
    // A window without a success has no latency: a gap in the line, never a fast point.
    const at = (w: LoadSample['latency']['corrected'] | undefined, p: 'p50' | 'p99' | 'max') =>
      w === undefined || w.count === 0 ? null : round(w[p]);
    const prefix = names.length === 1 ? '' : `${name} `;
    return [
      ...percentiles.map((p): ChartSeries => ({
        label: `${prefix}${p}`,
        t,
        v: mine.map((s) => (s.latency.corrected.count === 0 ? null : round(s.latency.corrected[p]))),
        style: 'line',
        color: names.length === 1 ? PERCENTILE_COLOURS[p] : p === 'max' ? '#999999' : colour(i),
        ...(p === 'max' || (names.length > 1 && p !== 'p50') ? { dash: true } : {}),
        ...(p === 'p99' ? { width: 2.5 } : {}),
      })),
      {
        label: `${prefix}time to fail p50`,
        t,
        v: mine.map((s) => at(s.latency.failed, 'p50')),
        style: 'points',
        color: '#D55E00',
      },
    ];
  });
  return {
    id: 'latency',
    title: 'Session latency (successes) and time to fail',
    note: 'Percentiles of the sessions that succeeded per load window, from the intended start (a stalled target shows as latency); where none succeeded the line breaks. Orange-red points: how long failed sessions took to fail (p50). Log scale.',
    unit: 'ms',
    log: true,
    series,
  };
};

// Points of some probes, ok or failed (placed at how long it took to fail).
const probePoints = (label: string, probes: readonly ProbeEvent[], color: string): ChartSeries => ({
  label,
  t: probes.map((p) => sec(p.t)),
  v: probes.map((p) => round(Math.max(p.ms, 0.01))),
  style: 'points',
  color,
});

const probeChart = (h: History): ChartSpec => {
  const probes = h.events.filter((e): e is ProbeEvent => e.kind === 'probe');
  const listeners = [...new Set(probes.map((p) => p.listener))];
  // One listener: green and orange-red. Several (net.tcp and HTTP): ok and failed points per listener.
  const series =
    listeners.length < 2
      ? [
          probePoints(
            'ok',
            probes.filter((p) => p.ok),
            '#009E73',
          ),
          probePoints(
            'failed',
            probes.filter((p) => !p.ok),
            '#D55E00',
          ),
        ]
      : listeners.flatMap((l, i) => {
          const own = probes.filter((p) => p.listener === l);
          return [
            probePoints(
              `ok ${l ?? ''}`,
              own.filter((p) => p.ok),
              colour(2 * i),
            ),
            probePoints(
              `failed ${l ?? ''}`,
              own.filter((p) => !p.ok),
              colour(2 * i + 5),
            ),
          ];
        });
  return {
    id: 'probes',
    title: listeners.length < 2 ? 'Listener probe' : 'Listener probes',
    note:
      listeners.length < 2
        ? 'Each probe opens a new session: green answered, orange-red failed (placed at how long it took to fail); log scale.'
        : 'Each probe opens a new session (or HTTP connection) to its listener: answered and failed points per listener (failed placed at how long it took to fail); log scale.',
    unit: 'ms',
    log: true,
    series,
  };
};

const processName = (p: Pick<ProcessSample, 'role' | 'pid'>): string => `${p.role} (pid ${p.pid})`;

const fdChart = (samples: readonly TargetSample[]): ChartSpec => {
  const pids = [...new Set(samples.flatMap((s) => s.processes.map((p) => p.pid)))];
  const byRole = pids.length > MAX_PROCESS_LINES;
  const keyOf = (p: ProcessSample) => (byRole ? p.role : processName(p));
  const keys = [...new Set(samples.flatMap((s) => s.processes.map(keyOf)))];
  const series = keys.map((key, i): ChartSeries => {
    const t: number[] = [];
    const v: number[] = [];
    for (const s of samples) {
      const mine = s.processes.filter((p) => keyOf(p) === key);
      if (mine.length === 0) continue;
      t.push(sec(s.t));
      v.push(mine.reduce((n, p) => n + p.fds.total, 0));
    }
    return { label: key, t, v, style: 'line', color: colour(i) };
  });
  return {
    id: 'fds',
    title: 'Open file descriptors',
    note: byRole
      ? `Per process role (${pids.length} processes, too many for a line each).`
      : 'Per target process, labelled by role.',
    unit: 'fds',
    log: false,
    series,
  };
};

// TCP states in the order they stack, bottom up; CLOSE_WAIT (a leak) sits right above the live ones.
const STATES: Record<string, string> = {
  ESTABLISHED: '#0072B2',
  CLOSE_WAIT: '#D55E00',
  LAST_ACK: '#CC79A7',
  FIN_WAIT1: '#E69F00',
  FIN_WAIT2: '#F0E442',
  CLOSING: '#882255',
  TIME_WAIT: '#999999',
  SYN_RECV: '#56B4E9',
  SYN_SENT: '#88CCEE',
  LISTEN: '#009E73',
  UNIX: '#C4B5E0',
  OTHER: '#DDDDDD',
};

// Resident memory per role, in MB (the memory checks' trend lines are drawn on it).
const MB = 1024 * 1024;
const memoryChart = (samples: readonly TargetSample[]): ChartSpec => {
  const roles = [...new Set(samples.flatMap((s) => s.processes.map((p) => p.role)))];
  return {
    id: 'memory',
    title: 'Resident memory',
    note: 'Per process role (the sum of its processes), in MB.',
    unit: 'MB',
    log: false,
    series: roles.map((role, i): ChartSeries => {
      const t: number[] = [];
      const v: number[] = [];
      for (const s of samples) {
        const mine = s.processes.filter((p) => p.role === role);
        if (mine.length === 0) continue;
        t.push(sec(s.t));
        v.push(round(mine.reduce((n, p) => n + p.rssBytes, 0) / MB));
      }
      return { label: role, t, v, style: 'line', color: colour(i) };
    }),
  };
};

// A verdict's line mark as a dashed series on its chart (in that chart's unit).
const UNIT_SCALE: Readonly<Record<string, number>> = { memory: 1 / MB };
const withLines = (charts: ChartSpec[], marks: readonly ChartMark[]): ChartSpec[] =>
  charts.map((c) => {
    const lines = marks.filter((m) => m.kind === 'line' && m.chart === c.id);
    const k = UNIT_SCALE[c.id] ?? 1;
    return lines.length === 0
      ? c
      : {
          ...c,
          series: [
            ...c.series,
            ...lines.flatMap((m): ChartSeries[] =>
              m.kind !== 'line'
                ? []
                : [
                    {
                      label: m.label,
                      t: [sec(m.from.t), sec(m.to.t)],
                      v: [round(m.from.v * k), round(m.to.v * k)],
                      style: 'line',
                      color: '#000000',
                      dash: true,
                    },
                  ],
            ),
          ],
        };
  });

const socketCharts = (samples: readonly TargetSample[]): ChartSpec[] => {
  const roles = [...new Set(samples.flatMap((s) => s.processes.map((p) => p.role)))];
  return roles.map((role, r) => {
    const mine = samples
      .map((s) => ({ t: s.t, ps: s.processes.filter((p) => p.role === role) }))
      .filter((s) => s.ps.length > 0);
    const seen = new Set(mine.flatMap((s) => s.ps.flatMap((p) => Object.keys(p.tcp))));
    const states = [
      ...Object.keys(STATES).filter((k) => seen.has(k)),
      ...[...seen].filter((k) => !(k in STATES)),
    ];
    const t = mine.map((s) => sec(s.t));
    const raw = states.map((state) => mine.map((s) => s.ps.reduce((n, p) => n + (p.tcp[state] ?? 0), 0)));
    // Each series is drawn as the sum of its state and the ones under it, top one first, so opaque
    // fills stack without the chart library's help.
    const stacked = raw.map((_, i) => t.map((_, j) => raw.slice(0, i + 1).reduce((n, xs) => n + xs[j]!, 0)));
    const series = states
      .map((state, i): ChartSeries => ({
        label: state,
        t,
        v: stacked[i]!,
        raw: raw[i]!,
        style: 'area',
        color: STATES[state] ?? colour(i),
      }))
      .reverse();
    return {
      id: `sockets-${r}`,
      title: `Sockets by state: ${role}`,
      note: `Sockets of the ${role} process(es) by TCP state, stacked (UNIX: local sockets).`,
      unit: 'sockets',
      log: false,
      series,
    };
  });
};

// A chart with no more points per line than a screen shows (a long soak's), its extremes kept: the
// series drawn at the same x are thinned together, so stacked areas stay aligned.
const thin = (chart: ChartSpec): ChartSpec => {
  const byX = new Map<readonly number[], ChartSeries[]>();
  for (const s of chart.series) byX.set(s.t, [...(byX.get(s.t) ?? []), s]);
  const kept = new Map<readonly number[], number[]>();
  for (const [t, group] of byX) kept.set(t, keepIndices({ t, vs: group.map((s) => s.v) }));
  return {
    ...chart,
    series: chart.series.map((s): ChartSeries => {
      const at = kept.get(s.t)!;
      if (at.length === s.t.length) return s;
      return {
        ...s,
        t: pick(s.t, at),
        v: pick(s.v, at),
        ...(s.raw === undefined ? {} : { raw: pick(s.raw, at) }),
      };
    }),
  };
};

// The timeline of a run.
export const timelineData = (h: History, verdicts: readonly Verdict[]): TimelineData => {
  const tl = timeline(h);
  // Each fault from when it was issued (its intent: an instant one such as a recycle acts from there)
  // to its heal; an instant one is marked again where it took effect.
  const bands: Band[] = [];
  const markers: Marker[] = [];
  for (const f of tl.faultRecords) {
    if (f.injectedAt === undefined) continue;
    bands.push({
      from: sec(f.intentAt ?? f.injectedAt),
      to: sec(f.healedAt ?? tl.end),
      label: f.label,
      kind: 'fault',
    });
    if (f.spec !== undefined && f.spec['duration'] === undefined)
      markers.push({ t: sec(f.injectedAt), label: `${f.label}: took effect`, kind: 'effect' });
  }
  const down = outages(h);
  const severalLoads = new Set(down.map((o) => o.load)).size > 1;
  for (const o of down) {
    const label = `no session succeeded${severalLoads ? ` (${o.load})` : ''}: ${kindsText(o.byKind)}`;
    for (const chart of ['sessions', 'latency'])
      bands.push({ from: sec(o.from), to: sec(o.to), label, kind: 'outage', chart });
  }
  const phaseLabels: Record<string, string> = {
    load: 'load starts',
    drain: 'load stops',
    final: 'final reading',
  };
  for (const e of h.events) {
    if (e.kind === 'phase' && phaseLabels[e.phase] !== undefined)
      markers.push({ t: sec(e.t), label: phaseLabels[e.phase]!, kind: 'phase' });
  }
  const probes = probeFigures(h);
  const gap = probes.longestGap;
  // What the verdicts mark on the charts; a band with a key replaces the page's own band of that key.
  const marks = verdicts.flatMap((v) => v.view?.marks ?? []);
  const replaced = new Set(marks.flatMap((m) => (m.kind === 'band' && m.key !== undefined ? [m.key] : [])));
  if (gap !== null && gap.ms > 0 && !replaced.has('probe-gap')) {
    bands.push({
      from: sec(gap.from),
      to: sec(gap.to),
      label: `longest gap for ${human(gap.ms)}${probes.endedWithoutAnswer ? ', never again' : ''}`,
      kind: 'gap',
      chart: 'probes',
    });
  }
  for (const m of marks) {
    if (m.kind === 'line') continue;
    if (m.kind === 'band')
      bands.push({ from: sec(m.from), to: sec(m.to), label: m.label, kind: m.style, chart: m.chart });
    else markers.push({ t: sec(m.t), label: m.label, kind: m.style });
  }
  const samples = targetSamples(h);
  for (const e of h.events) {
    if (e.kind === 'log' && e.level === 'error' && e.source === 'harness')
      markers.push({ t: sec(e.t), label: e.message.slice(0, 80), kind: 'error' });
    if (e.kind === 'fault' && e.type === 'error')
      markers.push({ t: sec(e.t), label: `${e.label} failed`, kind: 'error' });
  }
  const loads = loadSamples(h);
  return {
    end: sec(tl.end),
    charts: withLines(
      [
        sessionsChart(loads),
        latencyChart(loads),
        probeChart(h),
        fdChart(samples),
        memoryChart(samples),
        ...socketCharts(samples),
      ],
      marks,
    ).map(thin),
    bands,
    markers: markers.sort((a, b) => a.t - b.t),
  };
};
