// processes.noLeak: after load and the settle, the target's process tree is back to its warm baseline:
// as many processes of each command as before load. The evidence names each extra process (pid,
// command, parent, and how long it had been seen).

import { duration, nonNegativeInt, record } from '../../model/fields.ts';
import { formatDuration } from '../../model/duration.ts';
import { human, plain } from '../../model/format.ts';
import type { History, ProcessSample } from '../../model/history.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';
import { targetReadings } from './target-readings.ts';

const schema = record(
  {
    tolerance: nonNegativeInt('how many extra processes are tolerated').default(0),
    settle: duration('the wait after load before the final reading').prefault('3s'),
  },
  '{ tolerance: N, settle: DURATION }',
);

type Extra = { pid: number; command: string; ppid: number; role: string; seenForMs: number };

const countBy = (ps: readonly ProcessSample[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const p of ps) m.set(p.comm, (m.get(p.comm) ?? 0) + 1);
  return m;
};

export const processesNoLeak = {
  name: 'processes.noLeak',
  schema,
  describe: (s) => `tolerance ${s.tolerance}, settle ${formatDuration(s.settle)}`,
  settleMs: (s) => s.settle,
  view: (v): VerdictView => {
    const extra = (v.evidence['extra'] ?? []) as Extra[];
    const byCommand = (v.evidence['byCommand'] ?? []) as {
      command: string;
      baseline: number;
      final: number;
    }[];
    return {
      facts: [
        ['processes before load', plain(v.evidence['baseline'])],
        ['after settle', plain(v.evidence['final'])],
        ['tolerance', plain(v.evidence['tolerance'])],
      ],
      tables: [
        {
          columns: ['command', 'before load', 'after settle'],
          rows: byCommand.map((c) => [c.command, String(c.baseline), String(c.final)]),
          hot: byCommand.map((c) => c.final > c.baseline),
        },
        ...(extra.length === 0
          ? []
          : [
              {
                caption: 'Extra processes:',
                columns: ['pid', 'command', 'parent', 'role', 'seen for'],
                rows: extra.map((x) => [
                  String(x.pid),
                  x.command,
                  String(x.ppid),
                  x.role,
                  human(x.seenForMs),
                ]),
                hot: extra.map(() => true),
              },
            ]),
      ],
      marks: [],
    };
  },
  run: (h: History, spec): Verdict => {
    const r = targetReadings(h);
    const baseline = r.before.at(-1);
    const final = r.final;
    if (baseline === undefined || final === undefined) {
      return {
        check: 'processes.noLeak',
        status: 'unknown',
        summary:
          baseline === undefined
            ? 'No reading of the target was taken before load, so there is no baseline to compare with.'
            : 'No final reading of the target was taken (the run ended early or the target was gone), so leaked processes cannot be judged.',
        evidence: {},
      };
    }
    // When each process was first seen, for its age.
    const firstSeen = new Map<number, number>();
    for (const s of r.samples)
      for (const p of s.processes) if (!firstSeen.has(p.pid)) firstSeen.set(p.pid, s.t);
    const before = countBy(baseline.processes);
    const after = countBy(final.processes);
    const commands = [...new Set([...before.keys(), ...after.keys()])].sort();
    const byCommand = commands.map((command) => ({
      command,
      baseline: before.get(command) ?? 0,
      final: after.get(command) ?? 0,
    }));
    const basePids = new Set(baseline.processes.map((p) => p.pid));
    // The extra processes of a command that grew: the newest ones not there before load.
    const extra: Extra[] = byCommand.flatMap((c) => {
      const n = c.final - c.baseline;
      if (n <= 0) return [];
      return final.processes
        .filter((p) => p.comm === c.command && !basePids.has(p.pid))
        .sort((a, b) => (firstSeen.get(b.pid) ?? 0) - (firstSeen.get(a.pid) ?? 0))
        .slice(0, n)
        .map((p) => ({
          pid: p.pid,
          command: p.comm,
          ppid: p.ppid,
          role: p.role,
          seenForMs: final.t - (firstSeen.get(p.pid) ?? final.t),
        }));
    });
    const growth = Math.max(0, final.processes.length - baseline.processes.length);
    const evidence = {
      tolerance: spec.tolerance,
      baseline: baseline.processes.length,
      final: final.processes.length,
      baselineAt: baseline.t,
      finalAt: final.t,
      byCommand,
      extra,
    };
    if (extra.length > spec.tolerance) {
      return {
        check: 'processes.noLeak',
        status: 'fail',
        summary:
          `After load and ${formatDuration(spec.settle)} of settling the target had ${final.processes.length} processes, ` +
          `${growth} more than its warm baseline of ${baseline.processes.length} (tolerance ${spec.tolerance}): ` +
          extra
            .slice(0, 5)
            .map((x) => `pid ${x.pid} ${x.command} (parent ${x.ppid}, seen for ${human(x.seenForMs)})`)
            .join(', ') +
          (extra.length > 5 ? ` and ${extra.length - 5} more` : '') +
          '.',
        evidence,
      };
    }
    return {
      check: 'processes.noLeak',
      status: 'pass',
      summary: `After load and settling the target's process tree was back to its warm baseline: ${final.processes.length} process(es), ${baseline.processes.length} before load.`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
