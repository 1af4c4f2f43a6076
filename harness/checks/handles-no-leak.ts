// handles.noLeak: after drain and settle, the target's fds are back at their warm baseline (within a
// tolerance) and none of its sockets sits in CLOSE_WAIT. TIME_WAIT is the kernel's, not a leak.

import type { History, ProcessSample, TargetSample } from '../../model/history.ts';
import type { Check, Verdict } from '../../model/verdict.ts';

export type HandlesSpec = { tolerance: number; settle: number };

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

export const handlesNoLeak: Check<HandlesSpec> = {
  name: 'handles.noLeak',
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
};
