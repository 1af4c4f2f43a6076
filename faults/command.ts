// command: the user's own command as a fault, for targets the harness cannot reach through a pid (a
// remote Windows host: `appcmd recycle apppool` over ssh, `taskkill`, `Suspend-Process` and back, a CPU
// burner, a service stopped and started again) and for any target besides. An argument list run
// without a shell unless `shell: true`; `{host}`, `{port}` and `{url}` name the target. A fault that
// lasts runs its `heal` command when it heals, and a run started after a crash runs that heal command
// from the journal. Journaled like every fault; a command that exits non-zero is the fault's error.

import { execa } from 'execa';
import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { bool, list, positiveDuration, text } from '../model/fields.ts';
import { faultDuration, faultFields, FaultError } from './common.ts';
import { FaultErrorCode } from './errors.ts';
import type { Fault, FaultTarget } from './types.ts';

const argv = (what: string) => list(text('a command-line argument'), what, 1);

const schema = z
  .strictObject(
    {
      ...faultFields('command'),
      run: argv('the command that injects the fault, as a list of arguments'),
      heal: argv('the command that undoes it when the fault heals, as a list of arguments').optional(),
      duration: faultDuration().optional(),
      shell: bool('whether to run the commands through a shell (true or false)').default(false),
      timeout: positiveDuration('how long each command may run').prefault('60s'),
    },
    { error: 'a command fault: { at, run: [...], heal: [...], duration, shell, timeout }' },
  )
  .superRefine((s, ctx) => {
    if ((s.heal === undefined) !== (s.duration === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [s.heal === undefined ? 'heal' : 'duration'],
        message:
          s.heal === undefined
            ? 'a heal command with duration (what undoes the fault when it heals)'
            : 'a duration with heal (how long the fault lasts before the heal command runs)',
      });
  })
  .meta({ description: 'your own command as a fault (and its heal): for remote targets, or any other' });

export type CommandSpec = z.output<typeof schema>;

type Active = { heal?: string[]; shell: boolean; timeoutMs: number };

// {host}, {port} and {url} in an argument, from the target.
const expand = (args: readonly string[], t: Pick<FaultTarget, 'host' | 'port' | 'urls'>): string[] =>
  args.map((a) =>
    a
      .replaceAll('{host}', t.host ?? '')
      .replaceAll('{port}', t.port === undefined ? '' : String(t.port))
      .replaceAll(
        '{url}',
        t.urls?.[0] ?? (t.host === undefined ? '' : `net.tcp://${t.host}:${t.port ?? 808}/`),
      ),
  );

type Ran = { exitCode: number; ms: number; output: string[] };

// Runs one command; its last lines of output are kept for the history.
const runCommand = async (
  args: readonly string[],
  o: { shell: boolean; timeoutMs: number },
): Promise<Ran> => {
  const t0 = performance.now();
  const r = await execa(args[0]!, args.slice(1), {
    reject: false,
    stdin: 'ignore',
    all: true,
    shell: o.shell,
    timeout: o.timeoutMs,
  });
  const output = (r.all ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .slice(-10);
  const ms = Math.round(performance.now() - t0);
  if (r.timedOut)
    throw new FaultError(FaultErrorCode.Command, `${args.join(' ')} did not finish within ${o.timeoutMs}ms`);
  if (r.exitCode !== 0)
    throw new FaultError(
      FaultErrorCode.Command,
      `${args.join(' ')} exited with ${r.exitCode ?? r.signal ?? 'no code'}${output.length === 0 ? '' : `: ${output.join(' | ')}`}`,
    );
  return { exitCode: 0, ms, output };
};

export const command = {
  name: 'command',
  schema,
  // It waits for its command (at most its timeout).
  injectBudgetMs: (s) => s.timeout,
  describe: (s) =>
    `run ${s.run.join(' ')}` +
    (s.heal === undefined ? '' : `, healed after ${formatDuration(s.duration!)} by ${s.heal.join(' ')}`),
  inject: async (s, ctx) => {
    const run = expand(s.run, ctx.target);
    const r = await runCommand(run, { shell: s.shell, timeoutMs: s.timeout });
    ctx.note({ ran: run, exitCode: r.exitCode, ms: r.ms, output: r.output });
    return {
      ...(s.heal === undefined ? {} : { heal: expand(s.heal, ctx.target) }),
      shell: s.shell,
      timeoutMs: s.timeout,
    };
  },
  heal: async (a, ctx) => {
    if (a.heal === undefined) return;
    const r = await runCommand(a.heal, a);
    ctx.note({ healedBy: a.heal, exitCode: r.exitCode, ms: r.ms, output: r.output });
  },
  // The heal command outlives the harness: a crashed run's heal runs it.
  recover: async (a) => {
    if (a.heal === undefined) return [];
    await runCommand(a.heal, a);
    return [`ran ${a.heal.join(' ')}`];
  },
} satisfies Fault<typeof schema, Active>;
