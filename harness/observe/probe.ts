// The listener probe: a fresh session (open, optional calls, end) with a deadline, every interval.
// It asks the one question the mission cares about: does the listener still take new sessions? It speaks
// what the load on its via speaks (probeMessagesFor), so a WCF service gets SOAP and the reference host's
// op framing loads get the op framing.

import { type NetTcpTarget, openSession, sameTimeouts } from '../../clients/nettcp/index.ts';
import { encodeOpRequest } from '../../protocol/index.ts';
import type { OpFailure, ProbeEvent } from '../../model/history.ts';
import { type SessionMessages, type SessionSpec, sessionMessages } from '../load/messages.ts';
import { toOpFailure } from '../load/session-runner.ts';

export type ProbeResult = { ok: boolean; ms: number; failure?: OpFailure };

export type ProbeOptions = {
  timeoutMs: number;
  calls: number;
  allowRemote: boolean;
  encoding?: string;
  // What a probe session sends, for the via it dials; absent: op framing echoes on `encoding`.
  messages?: (via: string) => SessionMessages;
};

const PROBE_PAYLOAD = Buffer.from('probe');
const PING = encodeOpRequest({ id: 0, op: 'echo', arg: 0, payload: PROBE_PAYLOAD });

// The messages of the load on `via` (else the first load): its SOAP call as it makes it (its encoding,
// contract, operation and parameters, To the via probed), or for the op framing an echo on its encoding.
export const probeMessagesFor = (
  loads: readonly { via: string; session: SessionSpec }[],
  via: string,
): ((via: string) => SessionMessages) | undefined => {
  const load = loads.find((l) => l.via === via) ?? loads[0];
  if (load === undefined) return undefined;
  const s = load.session;
  const spec = s.soap === undefined ? { ...s, operation: 'echo' as const, arg: 0 } : s;
  const payload = s.soap === undefined ? PROBE_PAYLOAD : Buffer.alloc(s.payload);
  return (target) => sessionMessages(spec, payload, target)();
};

// One probe session within the deadline.
export const probeOnce = async (target: NetTcpTarget, o: ProbeOptions): Promise<ProbeResult> => {
  const start = performance.now();
  // AbortSignal.timeout takes whole milliseconds only.
  const deadline = AbortSignal.timeout(Math.ceil(o.timeoutMs));
  const m = o.messages?.(target.via);
  const opened = await openSession(target, {
    encoding: m?.encoding ?? o.encoding,
    ...(m === undefined ? {} : { correlate: m.correlate }),
    ...sameTimeouts(o.timeoutMs),
    allowRemote: o.allowRemote,
    signal: deadline,
  });
  const done = (failure?: OpFailure): ProbeResult => ({
    ok: failure === undefined,
    ms: performance.now() - start,
    ...(failure === undefined ? {} : { failure }),
  });
  // The whole probe has one deadline: an abort by it is a timeout at that stage.
  const asTimeout = (f: OpFailure): OpFailure =>
    f.kind === 'aborted' && deadline.aborted ? { ...f, kind: 'timeout' } : f;
  if (!opened.ok) return done(asTimeout(toOpFailure(opened.failure)));
  for (let i = 0; i < o.calls; i++) {
    const c = await opened.session.call(m === undefined ? PING : m.request());
    if (!c.ok) {
      opened.session.abort();
      return done(asTimeout(toOpFailure(c.failure)));
    }
    // A fault reply: the listener answered, the call did not succeed; the session is ended cleanly.
    const failed = m?.replyFailure(c.reply);
    if (failed !== undefined) {
      await opened.session.end();
      return done(failed);
    }
  }
  const e = await opened.session.end();
  return done(e.ok ? undefined : asTimeout(toOpFailure(e.failure)));
};

// One listener's probe: the address it reaches (probe events carry it) and one probe within a deadline.
// Each load client makes its own (the net.tcp one opens a session with probeOnce; the HTTP one sends one
// request on a fresh connection).
export type ListenerProbe = {
  listener: string;
  once(timeoutMs: number): Promise<ProbeResult>;
};

// Probes every interval, one at a time (a slow probe delays the next rather than piling up).
export type ProberOptions = {
  probe: ListenerProbe;
  timeoutMs: number;
  intervalMs: number;
  record: (e: ProbeEvent) => void;
  now: () => number;
};

export class ListenerProber {
  readonly #o: ProberOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(o: ProberOptions) {
    this.#o = o;
  }

  start(): void {
    const { probe, timeoutMs } = this.#o;
    const tick = () => {
      if (this.#stopped) return;
      if (this.#running === undefined) {
        this.#running = probe.once(timeoutMs).then((r) => {
          this.#running = undefined;
          if (!this.#stopped)
            this.#o.record({ t: this.#o.now(), kind: 'probe', listener: probe.listener, ...r });
        });
      }
      this.#timer = setTimeout(tick, this.#o.intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

// Probes until one succeeds or the deadline passes; `gaveUp` stops early (the target exited).
export const waitReady = async (
  probe: ListenerProbe,
  deadlineMs: number,
  timeoutMs: number,
  gaveUp: () => boolean,
): Promise<{ ready: true; ms: number } | { ready: false; last?: OpFailure }> => {
  const start = performance.now();
  let last: OpFailure | undefined;
  while (performance.now() - start < deadlineMs && !gaveUp()) {
    const remaining = deadlineMs - (performance.now() - start);
    const r = await probe.once(Math.ceil(Math.max(50, Math.min(timeoutMs, remaining))));
    if (r.ok) return { ready: true, ms: performance.now() - start };
    last = r.failure;
    await new Promise((res) => setTimeout(res, 50));
  }
  return { ready: false, ...(last === undefined ? {} : { last }) };
};
