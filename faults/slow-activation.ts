// slow-activation: on the reference host, the next activation of a service (or every one for the
// duration) takes `delay`, through the host's set-activation-delay; a recycle can make that activation
// happen now. On a program target, a delayed restart: stop the program, wait `delay`, start it again
// with the same command and port. The activation time is read from the host's worker-activated events,
// and a program's downtime from when it listens again.

import * as z from 'zod';
import { formatDuration } from '../model/duration.ts';
import { oneOf, positiveDuration, urlPath } from '../model/fields.ts';
import { faultDuration, faultFields, onRemote, restartListening } from './common.ts';
import { waitFor } from './processes.ts';
import type { Fault, FaultContext } from './types.ts';

const schema = z
  .strictObject(
    {
      ...faultFields('slow-activation'),
      delay: positiveDuration('how long the activation (or the restart) takes'),
      duration: faultDuration().optional(),
      path: urlPath('the service whose activation is slowed, for example /orders').optional(),
      recycle: oneOf(
        ['overlapped', 'stop-start'],
        'overlapped or stop-start (recycle the service now, so its activation takes the delay)',
      ).optional(),
    },
    {
      error:
        'a slow-activation: { at, delay, path, duration, recycle } on the host, { at, delay } on a program',
    },
  )
  .meta({
    description:
      'slow activation: the host delays the next activation (or all for a duration); a program restarts after a delay',
  });

export type SlowActivationSpec = z.output<typeof schema>;

type Activation = { pid: number; ms: number };
type HostActive = {
  on: 'host';
  path: string;
  delayMs: number;
  once: boolean;
  restoreMs: number;
  token: string;
};
type ProgramActive = { on: 'program'; oldPid: number; pid: number };
type Active = HostActive | ProgramActive;

// Activations seen while each fault is active, and how to stop listening (not JSON: kept here).
const watching = new Map<string, { seen: Activation[]; stop: () => void }>();
let nextToken = 0;
// How long an activation event may lag its recycle.
const EVENT_LAG_MS = 2000;

const injectHost = async (s: SlowActivationSpec, ctx: FaultContext): Promise<HostActive> => {
  const t = ctx.target;
  const path = s.path!;
  const token = `activation-${process.pid}-${++nextToken}`;
  const seen: Activation[] = [];
  // Events may reach us after the fact (the host prints `ready` before the events that led to it), so
  // only activations the host stamped from now on count (its `t` is ms since the epoch, as Date.now()).
  const since = Date.now();
  const stop =
    t.events?.((e) => {
      if (e['event'] === 'worker-activated' && e['path'] === path && Number(e['t']) >= since)
        seen.push({ pid: Number(e['pid']), ms: Math.round(Number(e['ms'])) });
    }) ?? (() => {});
  watching.set(token, { seen, stop });
  const once = s.duration === undefined;
  const restoreMs = t.services?.find((x) => x.path === path)?.activationDelayMs ?? 0;
  try {
    await t.control!({ command: 'set-activation-delay', path, ms: s.delay, once });
    if (s.recycle !== undefined) {
      let r: { recycled?: { newPid: number }[] };
      try {
        r = await t.control!({ command: 'recycle', path, mode: s.recycle });
      } catch (e) {
        // A hand-off that timed out during the slow activation closes the new worker's registration
        // before it activates: that is the fault working (PROTOCOL.md 3.2c), not failing. The delay
        // stays set for the window; later connections activate again, as slowly.
        if ((e as { code?: string }).code !== 'HOST_ACTIVATION_FAILED') throw e;
        ctx.note({ recycled: { path, mode: s.recycle, cutShort: (e as Error).message } });
        r = {};
      }
      const newPid = r.recycled?.[0]?.newPid;
      if (newPid !== undefined) {
        await waitFor(() => seen.some((a) => a.pid === newPid), EVENT_LAG_MS);
        ctx.note({ recycled: { path, mode: s.recycle, newPid }, activations: [...seen] });
      }
    }
  } catch (e) {
    // A failed inject leaves nothing behind (the recycle may be refused: HOST_BUSY during another).
    stop();
    watching.delete(token);
    await t.control!({ command: 'set-activation-delay', path, ms: restoreMs, once: false }).catch(() => {});
    throw e;
  }
  return { on: 'host', path, delayMs: s.delay, once, restoreMs, token };
};

const injectProgram = async (s: SlowActivationSpec, ctx: FaultContext): Promise<ProgramActive> => {
  const { restart: r, listeningMs } = await restartListening(ctx, { delayMs: s.delay });
  ctx.note({
    oldPid: r.oldPid,
    newPid: r.pid,
    stoppedForMs: r.startedAt - r.stoppedAt,
    // From the old process's exit until the new one accepted a connection.
    downMs: listeningMs === undefined ? null : Math.round(r.startedAt - r.stoppedAt + listeningMs),
  });
  return { on: 'program', oldPid: r.oldPid, pid: r.pid };
};

export const slowActivation = {
  name: 'slow-activation',
  actsOnWorker: true,
  // It waits out the activation (or the program's delayed restart) on purpose.
  injectBudgetMs: (s) => s.delay + (s.duration ?? 0),
  schema,
  checkTarget: (s, target) => {
    if (target === 'remote')
      return [
        onRemote(
          'slow-activation',
          'stop, wait and start it with your own commands: { kind: command, at: 5s, duration: 10s, run: [ssh, winhost, appcmd, stop, apppool, /apppool.name:Orders], heal: [ssh, winhost, appcmd, start, apppool, /apppool.name:Orders] }',
        ),
      ];
    if (target === 'command') {
      return s.path !== undefined || s.recycle !== undefined || s.duration !== undefined
        ? [
            'a program target is slowed by a delayed restart: { at, delay } (path, recycle and duration are for the host)',
          ]
        : [];
    }
    return s.path === undefined ? ['the host slows one service: name its path (path: /orders)'] : [];
  },
  describe: (s) =>
    s.path === undefined
      ? `slow activation: the program restarts after ${formatDuration(s.delay)} (on a host: name the path)`
      : `slow activation of ${s.path}: ${formatDuration(s.delay)} for ${s.duration === undefined ? 'the next activation' : `every activation for ${formatDuration(s.duration)}`}` +
        (s.recycle === undefined ? '' : `, activated now by a ${s.recycle} recycle`),
  inject: (s, ctx) => (ctx.target.kind === 'host' ? injectHost(s, ctx) : injectProgram(s, ctx)),
  heal: async (a, ctx) => {
    if (a.on === 'program') return;
    const w = watching.get(a.token);
    watching.delete(a.token);
    w?.stop();
    // A delay for the next activation only stays armed until that activation comes.
    if (!a.once)
      await ctx.target.control!({
        command: 'set-activation-delay',
        path: a.path,
        ms: a.restoreMs,
        once: false,
      });
    ctx.note({
      activations: w?.seen ?? [],
      ...(a.once ? { armed: w?.seen.length === 0 } : { restoredDelayMs: a.restoreMs }),
    });
  },
} satisfies Fault<typeof schema, Active>;
