// recycle: replace a worker mid-flight. On the reference host, through its control channel, overlapped
// (the new worker registers while the old one drains) or stop-start; on a program target, by a signal
// or a command the suite names, or stop-start (the program stopped and started again on its port).
// Measured: the new worker's pid and the sessions the listener refused while it recycled.

import * as z from 'zod';
import { errorSentences, type FaultView } from '../model/fault-view.ts';
import { list, oneOf, text, urlPath } from '../model/fields.ts';
import { human } from '../model/format.ts';
import { COMMAND_INSTEAD, FaultError, faultFields, onRemote, restartListening, SIGNALS } from './common.ts';
import { FaultErrorCode } from './errors.ts';
import { hostEvents, nextIssued, plural, refusedAfter, whenText } from './present.ts';
import type { Fault, FaultContext } from './types.ts';

const schema = z
  .strictObject(
    {
      ...faultFields('recycle'),
      mode: oneOf(['overlapped', 'stop-start']).optional(),
      path: urlPath('the service path to recycle (for example /orders); default: every service').optional(),
      signal: oneOf(SIGNALS, `a signal name (${SIGNALS.join(', ')})`).optional(),
      command: list(text('a command-line argument'), 'a command as a list of arguments', 1).optional(),
    },
    { error: 'a recycle: { at, mode, path } for the host, { at, signal } or { at, command } for a program' },
  )
  .meta({
    description: 'recycle a worker: { at, mode, path } on the host; { at, signal | command } on a program',
  });

export type RecycleSpec = z.output<typeof schema>;

type Active = { before: number[]; after: number[] };

// Connections the host's listener has refused so far (with a fault or aborted), by reason.
const refusedSoFar = async (ctx: FaultContext): Promise<Record<string, number>> => {
  const s = (await ctx.target.control!({ command: 'status' })) as {
    listener?: { counts?: { refused?: Record<string, number>; abortedPending?: number } };
  };
  return { ...s.listener?.counts?.refused, abortedPending: s.listener?.counts?.abortedPending ?? 0 };
};

const grown = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(b)
      .map(([k, v]) => [k, v - (a[k] ?? 0)] as const)
      .filter(([, d]) => d > 0),
  );

export const recycle = {
  name: 'recycle',
  actsOnWorker: true,
  schema,
  checkTarget: (spec, target) => {
    if (target === 'remote') return [onRemote('recycle', COMMAND_INSTEAD)];
    if (target === 'host') {
      return spec.signal !== undefined || spec.command !== undefined
        ? [
            'signal and command recycle a program target; the host recycles with mode (overlapped or stop-start)',
          ]
        : [];
    }
    if (spec.mode === 'overlapped' || spec.path !== undefined) {
      return [
        'overlapped and path recycle the reference host; a program target recycles with signal, command or mode: stop-start',
      ];
    }
    const ways = [spec.signal, spec.command, spec.mode].filter((x) => x !== undefined).length;
    return ways === 1
      ? []
      : [
          'a program target is recycled one way: a signal (signal: SIGHUP), a command (command: [...]) or mode: stop-start (stop and start it again)',
        ];
  },
  describe: (s) =>
    s.signal !== undefined
      ? `recycle by ${s.signal}`
      : s.command !== undefined
        ? `recycle by running ${s.command.join(' ')}`
        : `${s.mode ?? 'overlapped'} recycle of ${s.path ?? 'the whole target'}`,
  inject: async (s, ctx) => {
    const before = await ctx.target.pids();
    if (ctx.target.kind === 'host') {
      const refusedBefore = await refusedSoFar(ctx);
      const r = await ctx.target.control!({ command: 'recycle', path: s.path, mode: s.mode ?? 'overlapped' });
      ctx.note({ ...r, refusedDuring: grown(refusedBefore, await refusedSoFar(ctx)) });
    } else if (s.signal !== undefined) {
      if (ctx.target.pid === undefined)
        throw new FaultError(FaultErrorCode.NoProcess, 'a remote target has no local process to signal');
      process.kill(ctx.target.pid, s.signal);
    } else if (s.command !== undefined) {
      const code = await ctx.target.runCommand!(s.command);
      ctx.note({ exitCode: code });
    } else {
      const { restart: r, listeningMs } = await restartListening(ctx, { delayMs: 0 });
      ctx.note({
        oldPid: r.oldPid,
        newPid: r.pid,
        listeningAfterMs:
          listeningMs === undefined ? null : Math.round(r.startedAt - r.stoppedAt + listeningMs),
      });
    }
    const after = await ctx.target.pids();
    ctx.note({ pidsBefore: before, pidsAfter: after });
    return { before, after };
  },
  // A recycle is over once it is done; there is nothing to undo.
  heal: () => Promise.resolve(),
  present: (r, h): FaultView => {
    const sentences: string[] = [];
    const note = (k: string) => r.notes.find((n) => k in n)?.[k];
    const recycled = note('recycled') as
      { path: string; mode: string; oldPid: number | null; newPid: number }[] | undefined;
    for (const x of recycled ?? [])
      sentences.push(
        `Recycled ${x.path} (${x.mode}): worker pid ${x.oldPid ?? '(none)'} replaced by pid ${x.newPid}, ${whenText(r)}.`,
      );
    const refusedDuring = note('refusedDuring') as Record<string, number> | undefined;
    if (refusedDuring !== undefined) {
      const kinds = Object.entries(refusedDuring).filter(([, n]) => n > 0);
      const total = kinds.reduce((n, [, k]) => n + k, 0);
      sentences.push(
        total === 0
          ? 'No connection was refused while it recycled.'
          : `While it recycled the host refused ${plural(total, 'connection')} (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}).`,
      );
    }
    const spec = r.spec ?? {};
    if (recycled === undefined) {
      const exitCode = note('exitCode') as number | undefined;
      const newPid = note('newPid') as number | undefined;
      if (typeof spec['signal'] === 'string')
        sentences.push(`Sent ${spec['signal']} to the program, ${whenText(r)}.`);
      else if (exitCode !== undefined)
        sentences.push(
          `Ran ${valueOf(spec['command'])}, which exited with code ${String(exitCode)}, ${whenText(r)}.`,
        );
      else if (newPid !== undefined) {
        const after = note('listeningAfterMs');
        sentences.push(
          `Stopped the program (pid ${String(note('oldPid'))}) and started it again (pid ${String(newPid)}), ${whenText(r)}; ` +
            (typeof after === 'number'
              ? `it listened again ${human(after)} after it stopped.`
              : 'it did not listen again.'),
        );
      }
    }
    const before = note('pidsBefore') as number[] | undefined;
    const after = note('pidsAfter') as number[] | undefined;
    if (before !== undefined && after !== undefined) {
      const added = after.filter((p) => !before.includes(p));
      const gone = before.filter((p) => !after.includes(p));
      sentences.push(
        `Target processes ${before.join(', ')} before, ${after.join(', ')} after` +
          (added.length === 0 && gone.length === 0
            ? ' (the same).'
            : ` (${[...(added.length === 0 ? [] : [`new ${added.join(', ')}`]), ...(gone.length === 0 ? [] : [`gone ${gone.join(', ')}`])].join('; ')}).`),
      );
    }
    if (r.injectedAt !== undefined) {
      const until = nextIssued(h, r);
      for (const x of recycled ?? []) {
        const exit = hostEvents(h, 'worker-exit', r.intentAt ?? r.injectedAt, until).find(
          (e) => e.data['pid'] === x.oldPid,
        );
        if (exit !== undefined)
          sentences.push(`The old worker (pid ${String(x.oldPid)}) exited at ${human(exit.t)}.`);
      }
      sentences.push(...refusedAfter(h, r.injectedAt, until));
    }
    return { sentences: [...sentences, ...errorSentences(r)], tables: [] };
  },
} satisfies Fault<typeof schema, Active>;

const valueOf = (v: unknown): string => (Array.isArray(v) ? v.join(' ') : String(v));
