// One scripted session: open, N calls (operation messages the reference host understands), end.

import { type Correlator, type NetTcpTarget, openSession, type Failure } from '../../clients/nettcp/index.ts';
import { decodeOpReply, encodeOpRequest, opMessageId } from '../../protocol/index.ts';
import type { OpFailure } from '../history/events.ts';
import type { LoadSpec } from '../suite/schema.ts';

export type SessionSpec = LoadSpec['session'];

export type SessionOutcome = { ok: true; calls: number } | { ok: false; calls: number; failure: OpFailure };

// Replies carry their request's id.
const opsCorrelator: Correlator = {
  requestKey: (p) => opMessageId(p)!,
  replyKey: (p) => opMessageId(p),
};

let nextId = 1;
const requestId = (): number => {
  nextId = nextId >= 0xffffffff ? 1 : nextId + 1;
  return nextId;
};

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
        const t = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });

// Runs one session; `onCall` sees each call's outcome and latency. Never rejects for what the target does.
export const runSession = async (
  target: NetTcpTarget,
  spec: SessionSpec,
  payload: Buffer,
  options: { allowRemote: boolean; signal: AbortSignal; onCall: (ok: boolean, ms: number) => void },
): Promise<SessionOutcome> => {
  const opened = await openSession(target, {
    encoding: spec.encoding,
    connectTimeoutMs: spec.openTimeout,
    openTimeoutMs: spec.openTimeout,
    callTimeoutMs: spec.callTimeout,
    endTimeoutMs: spec.callTimeout,
    correlate: opsCorrelator,
    allowRemote: options.allowRemote,
    signal: options.signal,
  });
  if (!opened.ok) return { ok: false, calls: 0, failure: toOpFailure(opened.failure) };
  const session = opened.session;
  let calls = 0;
  for (let i = 0; i < spec.calls; i++) {
    if (i > 0) await sleep(spec.think, options.signal);
    const request = encodeOpRequest({ id: requestId(), op: spec.operation, arg: spec.arg, payload });
    const r = await session.call(request);
    options.onCall(r.ok, r.ms);
    if (!r.ok) {
      session.abort();
      return { ok: false, calls, failure: toOpFailure(r.failure) };
    }
    calls++;
    const reply = decodeOpReply(r.reply);
    if (reply !== undefined && !reply.ok) {
      // The operation itself failed (a fault reply); the session is fine, the call is not.
      await session.end();
      return { ok: false, calls, failure: { kind: 'reply-fault', stage: 'call', message: reply.reason } };
    }
  }
  const e = await session.end();
  return e.ok ? { ok: true, calls } : { ok: false, calls, failure: toOpFailure(e.failure) };
};
