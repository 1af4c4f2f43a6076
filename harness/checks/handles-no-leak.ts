// handles.noLeak: after drain and settle, the target's fds are back at their warm baseline (within a
// tolerance) and none of its sockets sits in CLOSE_WAIT. TIME_WAIT is the kernel's, not a leak.

import { duration, nonNegativeInt, record } from '../../model/fields.ts';
import { formatDuration } from '../../model/duration.ts';
import { ms, states } from '../../model/format.ts';
import type { History, ProcessSample, TargetSample } from '../../model/history.ts';
import { timeline } from '../../model/timeline.ts';
import type { ChartMark, Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  {
    tolerance: nonNegativeInt('how many fds above the warm baseline are tolerated').default(2),
    settle: duration('the wait after load before the final count').prefault('3s'),
  },
  '{ tolerance: N, settle: DURATION }',
);

type Row = {
  pid: number;
  role: string;
  comm: string;
  baseline: ProcessSample['fds'];
  final: ProcessSample['fds'];
  growth: number;
  tcp: Record<string, number>;
};

const diffKinds = (a: ProcessSample['fds'], b: ProcessSample['fds']): string =>
  (['socket', 'pipe', 'file', 'other'] as const)
    .filter((k) => b[k] !== a[k])
    .map((k) => `${b[k] - a[k] > 0 ? '+' : ''}${b[k] - a[k]} ${k}${Math.abs(b[k] - a[k]) === 1 ? '' : 's'}`)
    .join(', ');

const describe = (r: Row): string =>
  `pid ${r.pid} (${r.role}) went from ${r.baseline.total} to ${r.final.total} fds` +
  (r.growth > 0 ? ` (${diffKinds(r.baseline, r.final)})` : '') +
  ((r.tcp['CLOSE_WAIT'] ?? 0) > 0 ? `, ${r.tcp['CLOSE_WAIT']} socket(s) in CLOSE_WAIT` : '');

const fdKinds = (f: Fds): string =>
  `${f.total} (${f.socket} socket, ${f.pipe} pipe, ${f.file} file, ${f.other} other)`;

type Fds = ProcessSample['fds'];

const rowsOf = (v: Verdict): Row[] => (v.evidence['processes'] ?? []) as Row[];

// When each offending process's fds first went above its baseline plus the tolerance: a mark on the chart.
const climbMarks = (h: History, v: Verdict): ChartMark[] => {
  if (v.status !== 'fail') return [];
  const tolerance = Number(v.evidence['tolerance'] ?? 0);
  const loadAt = timeline(h).load?.from ?? 0;
  const samples = h.events.filter((e): e is TargetSample => e.kind === 'sample' && e.source === 'target');
  return rowsOf(v).flatMap((row): ChartMark[] => {
    if (row.growth <= tolerance) return [];
    const first = samples.find(
      (s) =>
        s.t >= loadAt &&
        s.processes.some((p) => p.pid === row.pid && p.fds.total > row.baseline.total + tolerance),
    );
    if (first === undefined) return [];
    return [
      {
        kind: 'marker',
        t: first.t,
        label: `${row.role} (pid ${row.pid}) fds past baseline ${row.baseline.total} + ${tolerance}`,
        style: 'climb',
      },
    ];
  });
};

export const handlesNoLeak = {
  name: 'handles.noLeak',
  schema,
  describe: (s) => `tolerance ${s.tolerance}, settle ${formatDuration(s.settle)}`,
  settleMs: (s) => s.settle,
  allowances: (s) => ({ fds: s.tolerance }),
  view: (v, h): VerdictView => {
    const e = v.evidence;
    const rows = rowsOf(v);
    return {
      facts: [
        ['fds above baseline', String(e['growth'])],
        ['tolerance', String(e['tolerance'])],
        ['sockets in CLOSE_WAIT', String(e['closeWait'])],
        ['"handle is now leaked" events', String(e['leakedHandleEvents'])],
        ['baseline read at', ms(e['baselineAt'])],
        ['final read at', ms(e['finalAt'])],
      ],
      tables: [
        {
          columns: ['pid', 'role', 'command', 'baseline fds', 'final fds', 'growth', 'sockets at the end'],
          rows: rows.map((r) => [
            String(r.pid),
            r.role,
            r.comm,
            fdKinds(r.baseline),
            fdKinds(r.final),
            `${r.growth > 0 ? '+' : ''}${r.growth}`,
            states(r.tcp),
          ]),
          hot: rows.map((r) => r.growth > 0 || (r.tcp['CLOSE_WAIT'] ?? 0) > 0),
        },
      ],
      marks: climbMarks(h, v),
    };
  },
  run: (h: History, spec): Verdict => {
    const samples = h.events.filter((e): e is TargetSample => e.kind === 'sample' && e.source === 'target');
    const loadAt = h.events.find((e) => e.kind === 'phase' && e.phase === 'load')?.t;
    const finalAt = h.events.find((e) => e.kind === 'phase' && e.phase === 'final')?.t;
    const baselineSample = loadAt === undefined ? undefined : samples.filter((s) => s.t <= loadAt).at(-1);
    const finalSample = finalAt === undefined ? undefined : samples.find((s) => s.t >= finalAt);
    if (baselineSample === undefined || finalSample === undefined || finalSample.processes.length === 0) {
      return {
        check: 'handles.noLeak',
        status: 'unknown',
        summary:
          finalSample === undefined || finalSample.processes.length === 0
            ? 'No final reading of the target was taken (the run ended early or the target was gone), so leaks cannot be judged.'
            : 'No reading of the target was taken before load, so there is no baseline to compare with.',
        evidence: {},
      };
    }
    const base = new Map(baselineSample.processes.map((p) => [p.pid, p]));
    const rows: Row[] = finalSample.processes.map((p) => {
      // A process that started after the baseline (a recycled worker) is compared with its own
      // lowest reading during the run.
      const own = samples.flatMap((s) => s.processes.filter((q) => q.pid === p.pid && s.t < finalSample.t));
      const b = base.get(p.pid)?.fds ?? own.reduce((m, q) => (q.fds.total < m.total ? q.fds : m), p.fds);
      return {
        pid: p.pid,
        role: p.role,
        comm: p.comm,
        baseline: b,
        final: p.fds,
        growth: p.fds.total - b.total,
        tcp: p.tcp,
      };
    });
    const growth = rows.reduce((n, r) => n + Math.max(0, r.growth), 0);
    const closeWait = rows.reduce((n, r) => n + (r.tcp['CLOSE_WAIT'] ?? 0), 0);
    const leaked = h.events.filter((e) => e.kind === 'log' && /handle is now leaked/i.test(e.message)).length;
    const offenders = rows.filter((r) => r.growth > 0 || (r.tcp['CLOSE_WAIT'] ?? 0) > 0);
    const evidence = {
      tolerance: spec.tolerance,
      settleMs: spec.settle,
      growth,
      closeWait,
      leakedHandleEvents: leaked,
      baselineAt: baselineSample.t,
      finalAt: finalSample.t,
      processes: rows,
    };
    const logged = leaked > 0 ? ` The host logged ${leaked} "handle is now leaked" event(s).` : '';
    if (growth > spec.tolerance || closeWait > 0) {
      return {
        check: 'handles.noLeak',
        status: 'fail',
        summary:
          `After load stopped and ${spec.settle / 1000}s of settling, the target held ${growth} more fd(s) than its warm ` +
          `baseline (tolerance ${spec.tolerance})` +
          (closeWait > 0 ? ` and ${closeWait} socket(s) in CLOSE_WAIT` : '') +
          `: ${offenders.map(describe).join('; ')}.${logged}`,
        evidence,
      };
    }
    return {
      check: 'handles.noLeak',
      status: 'pass',
      summary:
        `After load and ${spec.settle / 1000}s of settling, the target's ${rows.length} process(es) were within ${spec.tolerance} fd(s) of their warm baseline (+${growth}) with no socket in CLOSE_WAIT.` +
        (leaked > 0
          ? ` The host logged ${leaked} "handle is now leaked" event(s), yet no fd stayed open.`
          : ''),
      evidence,
    };
  },
} satisfies Check<typeof schema>;
