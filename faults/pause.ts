// pause: SIGSTOP the chosen target processes for the duration (or stop and continue them in a duty
// cycle), then SIGCONT. The watchdog holds a SIGCONT for each, tied to its start time, so a harness that
// dies never leaves a process stopped; the next run's sweep continues any the journal still lists.

import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { errorSentences, type FaultView } from '../model/fault-view.ts';
import { human } from '../model/format.ts';
import { positiveDuration, record } from '../model/fields.ts';
import { faultDuration, faultFields, onRemote } from './common.ts';
import { signalIfSame, stateOf, waitState } from './processes.ts';
import {
  checkSelection,
  type Chosen,
  chooseProcesses,
  describeSelection,
  selectionFields,
  selectionTargetProblems,
} from './select.ts';
import { plural, whenText } from './present.ts';
import type { Fault } from './types.ts';

const schema = z
  .strictObject(
    {
      ...faultFields('pause'),
      duration: faultDuration(),
      ...selectionFields(),
      cycle: record(
        {
          stopped: positiveDuration('how long each stop lasts'),
          running: positiveDuration('how long the processes run between stops'),
        },
        'a duty cycle: { stopped: DURATION, running: DURATION }',
      ).optional(),
    },
    { error: 'a pause: { at, duration, select, path, mode, value, cycle }' },
  )
  .superRefine(checkSelection)
  .meta({
    description: 'SIGSTOP target processes for a duration (optionally in a duty cycle), then SIGCONT',
  });

export type PauseSpec = z.output<typeof schema>;

type Active = { processes: Chosen[]; stoppedAt: number; cycle?: string };

// Duty cycles running now, by the token their Active carries (a timer cannot go in the journal).
type Cycle = { timer: NodeJS.Timeout | undefined; switches: number; inFlight: Promise<void> };
const cycles = new Map<string, Cycle>();
let nextCycle = 0;

const signalAll = async (ps: readonly Chosen[], signal: NodeJS.Signals): Promise<void> => {
  await Promise.all(ps.map((p) => signalIfSame(p, signal)));
};

// Alternates SIGCONT and SIGSTOP until `untilMs` (ms since the epoch) or until heal clears it.
const startCycle = (ps: readonly Chosen[], cycle: { stopped: number; running: number }, untilMs: number) => {
  const token = `cycle-${process.pid}-${++nextCycle}`;
  const state: Cycle = { timer: undefined, switches: 0, inFlight: Promise.resolve() };
  cycles.set(token, state);
  let stopped = true;
  const step = () => {
    if (!cycles.has(token) || Date.now() >= untilMs) return;
    stopped = !stopped;
    state.switches++;
    state.inFlight = signalAll(ps, stopped ? 'SIGSTOP' : 'SIGCONT').finally(() => {
      if (cycles.has(token)) state.timer = setTimeout(step, stopped ? cycle.stopped : cycle.running);
    });
  };
  state.timer = setTimeout(step, cycle.stopped);
  return token;
};

export const pause = {
  name: 'pause',
  actsOnWorker: true,
  schema,
  checkTarget: (s, target) =>
    target === 'remote'
      ? [
          onRemote(
            'pause',
            'suspend and resume it with your own commands: { kind: command, at: 5s, duration: 3s, run: [ssh, winhost, pssuspend, w3wp.exe], heal: [ssh, winhost, pssuspend, -r, w3wp.exe] }',
          ),
        ]
      : selectionTargetProblems(s, target),
  describe: (s) =>
    `pause ${describeSelection(s)} for ${formatDuration(s.duration)}` +
    (s.cycle === undefined
      ? ''
      : ` (${formatDuration(s.cycle.stopped)} stopped, ${formatDuration(s.cycle.running)} running, repeated)`),
  inject: async (s, ctx) => {
    const chosen = await chooseProcesses(s, ctx);
    // The guard is in place before the process stops.
    for (const p of chosen)
      ctx.safeguard({ action: 'signal', pid: p.pid, signal: 'SIGCONT', starttime: p.starttime });
    const stoppedAt = Date.now();
    await signalAll(chosen, 'SIGSTOP');
    const states = await Promise.all(chosen.map((p) => waitState(p, { is: 'T' }, 2000)));
    ctx.note({
      paused: chosen.map((p, i) => ({ pid: p.pid, role: p.role, state: states[i] ?? 'gone' })),
      stopped: states.filter((x) => x === 'T').length,
    });
    const cycle = s.cycle === undefined ? undefined : startCycle(chosen, s.cycle, stoppedAt + s.duration);
    return { processes: chosen, stoppedAt, ...(cycle === undefined ? {} : { cycle }) };
  },
  heal: async (a, ctx) => {
    let switches: number | undefined;
    if (a.cycle !== undefined) {
      const c = cycles.get(a.cycle);
      cycles.delete(a.cycle);
      clearTimeout(c?.timer);
      switches = c?.switches;
      // A stop already on its way lands before the SIGCONT below.
      await c?.inFlight;
    }
    await signalAll(a.processes, 'SIGCONT');
    const states = await Promise.all(a.processes.map((p) => waitState(p, { not: 'T' }, 2000)));
    ctx.note({
      resumed: a.processes.map((p, i) => ({ pid: p.pid, role: p.role, state: states[i] ?? 'gone' })),
      stillStopped: states.filter((x) => x === 'T').length,
      pausedMs: Date.now() - a.stoppedAt,
      ...(switches === undefined ? {} : { cycleSwitches: switches }),
    });
  },
  recover: async (a) => {
    const done: string[] = [];
    for (const p of a.processes) {
      if ((await stateOf(p)) !== 'T') continue;
      if (await signalIfSame(p, 'SIGCONT')) done.push(`continued pid ${p.pid} (${p.role}), left stopped`);
    }
    return done;
  },
  present: (r): FaultView => {
    type Seen = { pid: number; role: string; state: string };
    const note = (k: string) => r.notes.find((n) => k in n)?.[k];
    const paused = (note('paused') ?? []) as Seen[];
    const resumed = (note('resumed') ?? []) as Seen[];
    const sentences: string[] = [];
    if (paused.length > 0) {
      const stopped = paused.filter((p) => p.state === 'T').length;
      sentences.push(
        `Stopped ${plural(paused.length, 'process', 'processes')} with SIGSTOP, ${whenText(r)}` +
          (stopped === paused.length ? '.' : `; ${stopped} of them were seen stopped.`),
      );
    }
    const pausedMs = note('pausedMs');
    if (typeof pausedMs === 'number') {
      const still = Number(note('stillStopped') ?? 0);
      const switches = note('cycleSwitches');
      sentences.push(
        `Continued them with SIGCONT after ${human(pausedMs)}` +
          (typeof switches === 'number' ? `, having switched ${switches} times in its duty cycle` : '') +
          (still === 0
            ? '; none was left stopped.'
            : `; ${plural(still, 'process was', 'processes were')} still stopped.`),
      );
    }
    const rows = paused.map((p) => [
      String(p.pid),
      p.role,
      p.state === 'T' ? 'stopped' : p.state,
      resumed.find((x) => x.pid === p.pid)?.state ?? '-',
    ]);
    return {
      sentences: [...sentences, ...errorSentences(r)],
      tables:
        rows.length === 0
          ? []
          : [
              {
                columns: ['pid', 'role', 'after SIGSTOP', 'after SIGCONT'],
                rows,
                hot: rows.map((x) => x[3] === 'T'),
              },
            ],
    };
  },
} satisfies Fault<typeof schema, Active>;
