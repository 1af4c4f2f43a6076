// Schema pieces every fault spec shares.

import { connect } from 'node:net';
import * as z from 'zod';
import { describeFailure, openSession, resolveNetTcpUrl, sameTimeouts } from '../clients/nettcp/index.ts';
import { duration, positiveDuration, text } from '../model/fields.ts';
import { FaultError, FaultErrorCode } from './errors.ts';
import type { FaultContext, TargetRestart } from './types.ts';

// The fields of every fault: its kind, when it starts, and (for lasting faults) how long it lasts.
export const faultFields = <K extends string>(kind: K) => ({
  kind: z.literal(kind, { error: `the fault kind ${JSON.stringify(kind)}` }),
  at: duration('when the fault starts, from the start of load'),
  name: text('a label for this fault in reports').optional(),
  every: positiveDuration('how often the fault comes again while load runs, counted from at').optional(),
});

// The duration field of lasting faults.
export const faultDuration = () => positiveDuration('how long the fault lasts');

// Signal names a suite may use.
export const SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGKILL',
  'SIGUSR1',
  'SIGUSR2',
  'SIGSTOP',
  'SIGCONT',
] as const;

export { FaultError } from './errors.ts';

// A percentage from 1 to 100.
export const percent = (what: string) =>
  z.int({ error: what }).min(1, { error: what }).max(100, { error: what }).meta({ description: what });

// The net.tcp URL of a path on the target.
export const viaOf = (target: { host?: string; port?: number }, path: string): string => {
  if (target.host === undefined || target.port === undefined)
    throw new FaultError(FaultErrorCode.NoAddress, 'the target has no address to connect to');
  const h = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `net.tcp://${h}:${target.port}${path}`;
};

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

// Polls a TCP connect to the target until it is accepted (the program listens again); resolves with the
// ms it took, or undefined when `timeoutMs` passed or `signal` aborted first.
export const waitListening = async (
  target: { host?: string; port?: number },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number | undefined> => {
  if (target.host === undefined || target.port === undefined) return undefined;
  const t0 = performance.now();
  const attempt = () =>
    new Promise<boolean>((resolve) => {
      const s = connect({ host: target.host!, port: target.port! });
      const done = (ok: boolean) => (s.destroy(), resolve(ok));
      s.setTimeout(500, () => done(false));
      s.once('connect', () => done(true));
      s.once('error', () => done(false));
    });
  while (performance.now() - t0 < timeoutMs && signal?.aborted !== true) {
    if (await attempt()) return performance.now() - t0;
    await sleep(50, signal);
  }
  return undefined;
};

// How long a restarted program may take to listen again.
export const LISTEN_WITHIN_MS = 30_000;

// Restarts a program target (its `restart`) and waits until it listens again: what the restart did,
// and the ms from its return until a connect was accepted (undefined: not within 30s, or the run stopped).
export const restartListening = async (
  ctx: FaultContext,
  o: { delayMs: number; signal?: NodeJS.Signals },
): Promise<{ restart: TargetRestart; listeningMs: number | undefined }> => {
  const restart = await ctx.target.restart!(o);
  return { restart, listeningMs: await waitListening(ctx.target, LISTEN_WITHIN_MS, ctx.signal) };
};

// One fresh session to a path of the target (open, then end), as a measure of whether a new client gets
// through now: how long it took, or how it failed.
export const probeSession = async (
  target: { host?: string; port?: number },
  path: string,
  timeoutMs = 1000,
): Promise<{ ok: boolean; ms: number; failure?: string }> => {
  const t0 = performance.now();
  const r = await openSession(await resolveNetTcpUrl(viaOf(target, path)), sameTimeouts(timeoutMs));
  const ms = Math.round(performance.now() - t0);
  if (!r.ok) return { ok: false, ms, failure: describeFailure(r.failure) };
  const end = await r.session.end();
  return end.ok ? { ok: true, ms } : { ok: false, ms, failure: describeFailure(end.failure) };
};

// Why a fault that acts on local processes cannot act on a remote target, and what to use instead.
export const onRemote = (what: string, instead: string): string =>
  `${what} acts on processes the harness started on this machine, and a remote target has none here; instead, ${instead}`;

// The command fault, as the alternative a refusal names.
export const COMMAND_INSTEAD =
  'run your own command: { kind: command, at: 5s, run: [ssh, winhost, appcmd, recycle, apppool, /apppool.name:Orders] }';
