// One scripted session: open, N calls (operation messages the reference host understands), end.

import {
  type ConnectionPool,
  type Failure,
  type NetTcpTarget,
  openSession,
} from '../../clients/nettcp/index.ts';
import type { OpFailure } from '../../model/history.ts';
import type { SessionMessages, SessionSpec } from './messages.ts';

export type SessionOutcome = { ok: true; calls: number } | { ok: false; calls: number; failure: OpFailure };

export const toOpFailure = (f: Failure): OpFailure => ({
  kind: f.kind,
  stage: f.stage,
  ...(f.kind === 'fault' ? { fault: f.fault ?? f.uri } : {}),
  ...(f.kind === 'reset' || f.kind === 'error' || f.kind === 'protocol' ? { code: f.code } : {}),
});

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  ms <= 0
    ? Promise.resolve()
    : new Promise((resolve) => {
        const onAbort = () => (clearTimeout(t), resolve());
        const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
        signal.addEventListener('abort', onAbort, { once: true });
      });

// Runs one session; `onCall` sees each call's outcome and latency. Never rejects for what the target does.
export const runSession = async (
  target: NetTcpTarget,
  spec: SessionSpec,
  messages: SessionMessages,
  options: {
    allowRemote: boolean;
    signal: AbortSignal;
    onCall: (ok: boolean, ms: number) => void;
    // The load's connection pool (session.pooled).
    pool?: ConnectionPool;
  },
): Promise<SessionOutcome> => {
  const opened = await openSession(target, {
    pool: options.pool,
    encoding: messages.encoding,
    connectTimeoutMs: spec.openTimeout,
    openTimeoutMs: spec.openTimeout,
    callTimeoutMs: spec.callTimeout,
    endTimeoutMs: spec.callTimeout,
    correlate: messages.correlate,
    allowRemote: options.allowRemote,
    signal: options.signal,
  });
  if (!opened.ok) return { ok: false, calls: 0, failure: toOpFailure(opened.failure) };
  const session = opened.session;
  let calls = 0;
  for (let i = 0; i < spec.calls; i++) {
    if (i > 0) await sleep(spec.think, options.signal);
    const r = await session.call(messages.request());
    if (!r.ok) {
      options.onCall(false, r.ms);
      session.abort();
      return { ok: false, calls, failure: { ...toOpFailure(r.failure), call: i + 1 } };
    }
    calls++;
    const failed = messages.replyFailure(r.reply);
    options.onCall(failed === undefined, r.ms);
    if (failed !== undefined) {
      // The operation failed (a fault reply, a corrupt one); the session is fine, the call is not.
      await session.end();
      return { ok: false, calls, failure: { ...failed, call: i + 1 } };
    }
  }
  const e = await session.end();
  return e.ok ? { ok: true, calls } : { ok: false, calls, failure: toOpFailure(e.failure) };
};
