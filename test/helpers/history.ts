// Building hand-made histories for check tests.

import type {
  History,
  HistoryEvent,
  LoadSample,
  MetaEvent,
  OpFailure,
  Phase,
  ProcessSample,
} from '../../model/history.ts';
import { LoadStats } from '../../harness/load/stats.ts';

const META: MetaEvent = {
  t: 0,
  kind: 'meta',
  version: 1,
  suite: 'hand-made',
  file: 'hand-made.yaml',
  text: '',
  seed: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'nettcp-chaos', version: '0', node: 'v24', platform: 'linux' },
};

export const history = (...events: HistoryEvent[]): History => ({
  meta: META,
  events: [META, ...events].sort((a, b) => a.t - b.t),
});

export const phase = (t: number, p: Phase): HistoryEvent => ({ t, kind: 'phase', phase: p });

export const probe = (t: number, ok: boolean, failure?: OpFailure): HistoryEvent => ({
  t,
  kind: 'probe',
  ok,
  ms: 2,
  ...(failure === undefined ? {} : { failure }),
});

export const proc = (
  pid: number,
  fds: Partial<ProcessSample['fds']>,
  tcp: Record<string, number> = {},
  role = 'root',
): ProcessSample => {
  const f = { socket: 0, pipe: 0, file: 0, other: 0, ...fds };
  return {
    pid,
    ppid: 1,
    comm: 'node',
    role,
    fds: { ...f, total: f.socket + f.pipe + f.file + f.other },
    tcp,
    rssBytes: 1,
    cpuPercent: 0,
  };
};

export const target = (t: number, ...processes: ProcessSample[]): HistoryEvent => ({
  t,
  kind: 'sample',
  source: 'target',
  processes,
});

export const fault = (
  t: number,
  type: 'inject' | 'heal',
  id = 'recycle#0',
  label = 'overlapped recycle of /orders',
): HistoryEvent => ({
  t,
  kind: 'fault',
  type,
  id,
  fault: id.split('#')[0]!,
  label,
});

// A load window ending at t: `ok` sessions at `ms` each, plus failures by kind (failing after `failMs`,
// by default `ms`).
export const load = (
  t: number,
  o: {
    ok?: number;
    ms?: number;
    failed?: Record<string, number>;
    failMs?: number;
    dropped?: number;
    windowMs?: number;
  },
): LoadSample => {
  const s = new LoadStats('steady');
  const ms = o.ms ?? 5;
  for (let i = 0; i < (o.ok ?? 0); i++) {
    s.started();
    s.call(true, ms);
    s.finished(undefined, ms, ms);
  }
  for (const [kind, n] of Object.entries(o.failed ?? {})) {
    for (let i = 0; i < n; i++) {
      s.started();
      s.finished({ kind: kind as OpFailure['kind'], stage: 'preamble' }, o.failMs ?? ms, o.failMs ?? ms);
    }
  }
  for (let i = 0; i < (o.dropped ?? 0); i++) s.dropped();
  return s.window(t, o.windowMs ?? 1000);
};

// Load windows every second from `from` to `to` (exclusive), each made by `f(t)`.
export const loadEverySecond = (
  from: number,
  to: number,
  f: (t: number) => Parameters<typeof load>[1],
): LoadSample[] => {
  const out: LoadSample[] = [];
  for (let t = from + 1000; t <= to; t += 1000) out.push(load(t, f(t)));
  return out;
};
