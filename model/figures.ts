// The figures observers supply and checks read, by name: open handles, sockets by TCP state, memory,
// CPU, threads, processes. Each reading says whose figure it is (a process, a group of processes, the
// host) and where it came from (/proc, an exporter's metric and labels), so a verdict can name its
// source. `figureSeries(h, name)` is the one view checks use, whichever observer supplied the figure.

import type { History, ObserverSample, ProcessSample, TargetSample } from './history.ts';

export const FIGURE_NAMES = ['handles', 'tcp', 'rss', 'private', 'cpu', 'threads', 'processes'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

// What each figure means, for documentation and "unknown" verdicts.
export const FIGURE_MEANINGS: Readonly<Record<FigureName, string>> = {
  handles: 'open handles: fds on Linux (by kind: socket, pipe, file, other), handles on Windows',
  tcp: 'sockets by TCP state (of a process, or of the whole host where an exporter only counts those)',
  rss: 'resident memory in bytes (RSS on Linux, the working set on Windows)',
  private: 'private bytes (memory no other process shares)',
  cpu: 'CPU, in percent of one core',
  threads: 'threads',
  processes: 'how many processes the target has',
};

// Whose figure a reading is: one process, a group an exporter sums (process-exporter's groupname), or
// the whole host (node_exporter's TCP states). `key` tells subjects apart across readings.
export type Subject = {
  key: string;
  name: string;
  scope: 'process' | 'group' | 'host';
  pid?: number;
  ppid?: number;
  // What the process is to the target (listener, worker /orders, child), where the observer knows.
  role?: string;
};

// One figure of one subject at one reading, with the metric and labels it was read from.
export type FigureReading = {
  figure: FigureName;
  subject: Subject;
  value: number;
  // A breakdown: handles by kind, tcp by state.
  parts?: Record<string, number>;
  // What the figure is made of in detail (the proc observer's fd targets on its baseline and final reads).
  detail?: Record<string, number>;
  metric?: string;
  labels?: Record<string, string>;
  query?: string;
};

// Where a series came from: the observer, where it read, and the metric and labels of the series.
export type FigureSource = {
  observer: string;
  from: string;
  metric?: string;
  labels?: Record<string, string>;
  query?: string;
};

export type FigurePoint = {
  t: number;
  value: number;
  parts?: Record<string, number>;
  detail?: Record<string, number>;
};

// One subject's readings of a figure, in time order.
export type FigureSeries = { subject: Subject; source: FigureSource; points: FigurePoint[] };

// A reading that failed: a gap in every series of its observer.
export type FigureGap = { t: number; error: string };

export type FigureView = {
  figure: FigureName;
  // The observer the series come from (the first that supplied the figure), and where it read.
  observer?: string;
  from?: string;
  series: FigureSeries[];
  // When that observer read successfully (a subject absent at one of them had no such figure then).
  readings: number[];
  gaps: FigureGap[];
  // Why no observer supplied the figure, when none did.
  missing?: string;
};

// The proc observer's name and where it reads.
export const PROC = { observer: 'proc', from: '/proc' } as const;

const TCP_STATE = /^[A-Z_0-9]+$/;

// Socket states of a connection still alive (or listening, or a Unix socket): a socket in any other
// state (CLOSE_WAIT, FIN_WAIT, LAST_ACK, or no connection left at all) is one whose connection is over.
const LIVE_SOCKET = new Set(['ESTABLISHED', 'LISTEN', 'SYN_SENT', 'SYN_RECV', 'NEW_SYN_RECV', 'UNIX']);

// A process of a proc reading as a subject.
const procSubject = (p: ProcessSample): Subject => ({
  key: `pid:${p.pid}`,
  name: p.comm,
  scope: 'process',
  pid: p.pid,
  ppid: p.ppid,
  role: p.role,
});

const TARGET: Subject = { key: 'target', name: 'the target', scope: 'group' };

// The figures a proc reading holds, as readings.
export const procReadings = (s: TargetSample): FigureReading[] => {
  const out: FigureReading[] = [{ figure: 'processes', subject: TARGET, value: s.processes.length }];
  for (const p of s.processes) {
    const subject = procSubject(p);
    const metric = `/proc/${p.pid}`;
    const { total, socket, ...kinds } = p.fds;
    const live = Object.entries(p.tcp).reduce((n, [state, c]) => n + (LIVE_SOCKET.has(state) ? c : 0), 0);
    const closed = Math.max(0, socket - live);
    out.push({
      figure: 'handles',
      subject,
      value: total,
      // Sockets whose connection is over apart from live ones: a leak check judges those strictly.
      parts: { socket: socket - closed, 'socket-closed': closed, ...kinds },
      ...(p.fdTargets === undefined ? {} : { detail: p.fdTargets }),
      metric: `${metric}/fd`,
    });
    const tcp = Object.fromEntries(
      Object.entries(p.tcp).filter(
        ([state]) => state !== 'UNIX' && state !== 'OTHER' && TCP_STATE.test(state),
      ),
    );
    const sockets = Object.values(tcp).reduce((a, b) => a + b, 0);
    out.push({ figure: 'tcp', subject, value: sockets, parts: tcp, metric: `${metric}/fd + /proc/net/tcp` });
    out.push({ figure: 'rss', subject, value: p.rssBytes, metric: `${metric}/status VmRSS` });
    out.push({ figure: 'cpu', subject, value: p.cpuPercent, metric: `${metric}/stat utime+stime` });
    if (p.threads !== undefined)
      out.push({ figure: 'threads', subject, value: p.threads, metric: `${metric}/stat num_threads` });
  }
  return out;
};

type Reading = { t: number; observer: string; from: string; readings: FigureReading[]; error?: string };

// Every observer reading of a history as figure readings, proc's included, in time order.
export const observerReadings = (h: History): Reading[] =>
  h.events.flatMap((e): Reading[] => {
    if (e.kind !== 'sample') return [];
    if (e.source === 'target') return [{ t: e.t, ...PROC, readings: procReadings(e) }];
    if (e.source === 'observer') {
      const o: ObserverSample = e;
      return [
        {
          t: o.t,
          observer: o.observer,
          from: o.from,
          readings: o.readings,
          ...(o.error === undefined ? {} : { error: o.error }),
        },
      ];
    }
    return [];
  });

const sourceKey = (r: { observer: string; from: string }): string => `${r.observer} ${r.from}`;

// Why a figure has no series: which observers ran and what they supplied, or that every reading failed.
const whyMissing = (figure: FigureName, all: readonly Reading[]): string => {
  const bySource = new Map<
    string,
    { observer: string; from: string; figures: Set<string>; errors: string[] }
  >();
  for (const r of all) {
    const k = sourceKey(r);
    const s = bySource.get(k) ?? { observer: r.observer, from: r.from, figures: new Set(), errors: [] };
    for (const x of r.readings) s.figures.add(x.figure);
    if (r.error !== undefined) s.errors.push(r.error);
    bySource.set(k, s);
  }
  const what = `no observer supplied ${figure} (${FIGURE_MEANINGS[figure]})`;
  if (bySource.size === 0)
    return `${what}: no observer read the target (a remote target is read through observe.prometheus)`;
  const told = [...bySource.values()].map((s) =>
    s.figures.size > 0
      ? `${s.observer} at ${s.from} supplied ${[...s.figures].join(', ')}`
      : s.errors.length > 0
        ? `every reading of ${s.observer} at ${s.from} failed (last: ${s.errors.at(-1)})`
        : `${s.observer} at ${s.from} supplied nothing`,
  );
  return `${what}: ${told.join('; ')}`;
};

const build = (h: History, figure: FigureName): FigureView => {
  const all = observerReadings(h);
  // The first source (in time order) that supplied the figure; proc's readings come first when there.
  const supplying = all.filter((r) => r.readings.some((x) => x.figure === figure));
  const chosen = supplying.find((r) => r.observer === PROC.observer) ?? supplying[0];
  if (chosen === undefined)
    return { figure, series: [], readings: [], gaps: [], missing: whyMissing(figure, all) };
  const mine = all.filter((r) => sourceKey(r) === sourceKey(chosen));
  const series = new Map<string, FigureSeries>();
  for (const r of mine) {
    for (const x of r.readings) {
      if (x.figure !== figure) continue;
      let s = series.get(x.subject.key);
      if (s === undefined) {
        s = {
          subject: x.subject,
          source: {
            observer: r.observer,
            from: r.from,
            ...(x.metric === undefined ? {} : { metric: x.metric }),
            ...(x.labels === undefined ? {} : { labels: x.labels }),
            ...(x.query === undefined ? {} : { query: x.query }),
          },
          points: [],
        };
        series.set(x.subject.key, s);
      }
      s.points.push({
        t: r.t,
        value: x.value,
        ...(x.parts === undefined ? {} : { parts: x.parts }),
        ...(x.detail === undefined ? {} : { detail: x.detail }),
      });
    }
  }
  return {
    figure,
    observer: chosen.observer,
    from: chosen.from,
    series: [...series.values()],
    readings: mine.filter((r) => r.error === undefined).map((r) => r.t),
    gaps: mine.filter((r) => r.error !== undefined).map((r) => ({ t: r.t, error: r.error! })),
  };
};

// Derived once per history as it stands and figure: checks and reports ask again and again.
const cache = new WeakMap<History, { length: number; views: Map<FigureName, FigureView> }>();

// A figure's series, one per subject, from the first observer that supplied it (proc when it did).
export const figureSeries = (h: History, figure: FigureName): FigureView => {
  let hit = cache.get(h);
  if (hit === undefined || hit.length !== h.events.length) {
    hit = { length: h.events.length, views: new Map() };
    cache.set(h, hit);
  }
  let v = hit.views.get(figure);
  if (v === undefined) {
    v = build(h, figure);
    hit.views.set(figure, v);
  }
  return v;
};

// How a source reads in evidence: `windows_process_handles{process="SMSvcHost",process_id="4"} at URL`.
export const describeSource = (s: FigureSource): string => {
  const labels =
    s.labels === undefined || Object.keys(s.labels).length === 0
      ? ''
      : `{${Object.entries(s.labels)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}}`;
  const what = s.query ?? (s.metric === undefined ? '' : `${s.metric}${labels}`);
  return what === '' ? `${s.observer} at ${s.from}` : `${what} (${s.observer} at ${s.from})`;
};

// The target's process tree at each proc reading (pid, parent, command, role), for checks of processes.
export const processTree = (
  h: History,
): { t: number; processes: { pid: number; ppid: number; comm: string; role: string }[] }[] =>
  h.events
    .filter((e): e is TargetSample => e.kind === 'sample' && e.source === 'target')
    .map((s) => ({
      t: s.t,
      processes: s.processes.map((p) => ({ pid: p.pid, ppid: p.ppid, comm: p.comm, role: p.role })),
    }));
