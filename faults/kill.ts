// kill: send the chosen target processes a signal (SIGKILL by default), optionally restarting what was
// killed: on the reference host a killed worker's path answers EndpointNotFound until it is recycled,
// so a restart there is a stop-start recycle of that path; a program is started again with the same
// command and port. An instant fault: nothing is left to heal.

import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { errorSentences, type FaultView } from '../model/fault-view.ts';
import { human } from '../model/format.ts';
import { bool, duration, oneOf } from '../model/fields.ts';
import {
  FaultError,
  faultFields,
  LISTEN_WITHIN_MS,
  onRemote,
  restartListening,
  SIGNALS,
  sleep,
} from './common.ts';
import { signalIfSame, stateOf, waitFor } from './processes.ts';
import {
  checkSelection,
  type Chosen,
  chooseProcesses,
  describeSelection,
  selectionFields,
  selectionTargetProblems,
  selectOf,
} from './select.ts';
import { FaultErrorCode } from './errors.ts';
import { nextIssued, plural, refusedAfter, whenText } from './present.ts';
import type { Fault } from './types.ts';

const schema = z
  .strictObject(
    {
      ...faultFields('kill'),
      ...selectionFields(),
      signal: oneOf(SIGNALS, `a signal name (${SIGNALS.join(', ')})`).default('SIGKILL'),
      restart: bool('whether to start what was killed again (true or false)').default(false),
      restartAfter: duration('the wait between the kill and the restart').optional(),
    },
    { error: 'a kill: { at, select, path, mode, value, signal, restart, restartAfter }' },
  )
  .superRefine((s, ctx) => {
    checkSelection(s, ctx);
    if (s.restartAfter !== undefined && !s.restart)
      ctx.addIssue({
        code: 'custom',
        path: ['restartAfter'],
        message: 'restartAfter only with restart: true',
      });
  })
  .meta({ description: 'kill target processes (SIGKILL by default), optionally restarting them' });

export type KillSpec = z.output<typeof schema>;

type Killed = { pid: number; role: string; gone: boolean };
type Active = { killed: Killed[]; restarted: { path?: string; pid: number }[] };

// How long a killed process may take to disappear before the note says it did not.
const GONE_WITHIN_MS = 5000;

const killAll = async (chosen: readonly Chosen[], signal: NodeJS.Signals): Promise<Killed[]> => {
  await Promise.all(chosen.map((p) => signalIfSame(p, signal)));
  const gone = await Promise.all(
    chosen.map((p) => waitFor(async () => (await stateOf(p)) === undefined, GONE_WITHIN_MS)),
  );
  return chosen.map((p, i) => ({ pid: p.pid, role: p.role, gone: gone[i]! }));
};

export const kill = {
  name: 'kill',
  actsOnWorker: true,
  // It waits restartAfter on purpose, then for the restarted program to listen.
  injectBudgetMs: (s) => (s.restart ? (s.restartAfter ?? 0) + LISTEN_WITHIN_MS : 0),
  schema,
  checkTarget: (s, target) => {
    if (target === 'remote')
      return [
        onRemote(
          'kill',
          'kill it with your own command: { kind: command, at: 5s, run: [ssh, winhost, taskkill, /F, /IM, w3wp.exe] } (add heal and duration to start it again)',
        ),
      ];
    const problems = selectionTargetProblems(s, target);
    if (!s.restart) return problems;
    const select = selectOf(s, target);
    if (target === 'host' && select !== 'workers') {
      problems.push(
        'restart on the host recycles a killed worker (stop-start); the listener cannot be restarted in place: select workers',
      );
    }
    if (target === 'command' && select !== 'root') {
      problems.push(
        'restart starts the program again; it goes with select: root (a program restarts its own children)',
      );
    }
    return problems;
  },
  describe: (s) =>
    `kill ${describeSelection(s)} with ${s.signal}` +
    (s.restart
      ? `, restarted${s.restartAfter === undefined ? '' : ` after ${formatDuration(s.restartAfter)}`}`
      : ''),
  inject: async (s, ctx) => {
    const t = ctx.target;
    const delayMs = s.restartAfter ?? 0;
    if (t.kind === 'command' && s.restart) {
      const { restart: r, listeningMs } = await restartListening(ctx, { delayMs, signal: s.signal });
      const killed = [{ pid: r.oldPid, role: 'process', gone: true }];
      ctx.note({
        killed,
        exit: r.exit,
        restarted: { oldPid: r.oldPid, newPid: r.pid, downMs: r.startedAt - r.stoppedAt },
        listening: listeningMs === undefined ? false : { afterStartMs: Math.round(listeningMs) },
      });
      return { killed, restarted: [{ pid: r.pid }] };
    }
    const chosen = await chooseProcesses(s, ctx);
    const killed = await killAll(chosen, s.signal);
    ctx.note({ killed, signal: s.signal });
    const restarted: Active['restarted'] = [];
    if (s.restart) {
      await sleep(delayMs, ctx.signal);
      for (const path of new Set(chosen.map((c) => c.path).filter((p) => p !== undefined))) {
        const r = (await t.control!({ command: 'recycle', path, mode: 'stop-start' })) as {
          recycled?: { newPid: number }[];
        };
        const pid = r.recycled?.[0]?.newPid;
        if (pid === undefined)
          throw new FaultError(FaultErrorCode.NoRestart, `the host did not restart ${path}`);
        restarted.push({ path, pid });
      }
      ctx.note({ restarted });
    }
    return { killed, restarted };
  },
  // A kill is over once it is done; a restart already happened.
  heal: () => Promise.resolve(),
  present: (r, h): FaultView => {
    const sentences: string[] = [];
    const note = (k: string) => r.notes.find((n) => k in n)?.[k];
    const killed = (note('killed') ?? []) as Killed[];
    const signal = (note('signal') ?? r.spec?.['signal'] ?? 'SIGKILL') as string;
    const who = killed.map((k) => `${k.role} pid ${k.pid}${k.gone ? '' : ' (still there 5s later)'}`);
    if (killed.length > 0)
      sentences.push(
        `Sent ${signal} to ${plural(killed.length, 'process', 'processes')}, ${whenText(r)}: ${who.join(', ')}.`,
      );
    const restarted = note('restarted');
    if (Array.isArray(restarted)) {
      for (const x of restarted as { path?: string; pid: number }[])
        sentences.push(`Restarted ${x.path ?? 'it'}: new pid ${x.pid}.`);
    } else if (typeof restarted === 'object' && restarted !== null) {
      const x = restarted as { oldPid: number; newPid: number; downMs: number };
      const exit = note('exit') as { code: number | null; signal: string | null } | undefined;
      const listening = note('listening') as false | { afterStartMs: number } | undefined;
      sentences.push(
        `The program (pid ${x.oldPid}) ${exit === undefined ? 'stopped' : exit.signal !== null ? `died of ${exit.signal}` : `exited with code ${String(exit.code)}`}; ` +
          `it was started again (pid ${x.newPid}) ${human(x.downMs)} later, and ` +
          (listening === false || listening === undefined
            ? 'did not listen again.'
            : `listened ${human(listening.afterStartMs)} after its start.`),
      );
    }
    if (r.injectedAt !== undefined) sentences.push(...refusedAfter(h, r.injectedAt, nextIssued(h, r)));
    return { sentences: [...sentences, ...errorSentences(r)], tables: [] };
  },
} satisfies Fault<typeof schema, Active>;
