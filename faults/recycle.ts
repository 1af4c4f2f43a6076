// recycle: replace a worker mid-flight. On the reference host, through its control channel, overlapped
// (the new worker registers while the old one drains) or stop-start; on a program target, by a signal
// or a command the suite names.

import * as z from 'zod';
import { list, oneOf, text, urlPath } from '../harness/suite/fields.ts';
import { faultFields, SIGNALS } from './common.ts';
import type { Fault } from './types.ts';

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

export const recycle = {
  kind: 'recycle',
  schema,
  checkTarget: (spec, target) => {
    if (target === 'host') {
      return spec.signal !== undefined || spec.command !== undefined
        ? [
            'signal and command recycle a program target; the host recycles with mode (overlapped or stop-start)',
          ]
        : [];
    }
    if (spec.mode !== undefined || spec.path !== undefined) {
      return ['mode and path recycle the reference host; a program target recycles with signal or command'];
    }
    return spec.signal === undefined && spec.command === undefined
      ? ['a program target is recycled by a signal (signal: SIGHUP) or a command (command: [...])']
      : [];
  },
  describe: (s) =>
    s.signal !== undefined
      ? `recycle by ${s.signal}`
      : s.command !== undefined
        ? `recycle by running ${s.command.join(' ')}`
        : `${s.mode ?? 'overlapped'} recycle of ${s.path ?? 'every service'}`,
  inject: async (s, ctx) => {
    const before = await ctx.target.pids();
    if (ctx.target.kind === 'host') {
      const r = await ctx.target.control!({ command: 'recycle', path: s.path, mode: s.mode ?? 'overlapped' });
      ctx.note({ response: r });
    } else if (s.signal !== undefined) {
      process.kill(ctx.target.pid, s.signal);
    } else {
      const code = await ctx.target.runCommand!(s.command!);
      ctx.note({ exitCode: code });
    }
    return { before, after: await ctx.target.pids() };
  },
  // A recycle is over once it is done; there is nothing to undo.
  heal: () => Promise.resolve(),
} satisfies Fault<RecycleSpec, Active>;
