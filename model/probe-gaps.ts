// The listener probes' record: how many probes, how many failed, and the longest stretch without a
// successful one while load ran (through drain and settle), per listener probed (a run probes its net.tcp
// listener and, beside it, its HTTP one) and the worst of them. listener.responsive judges it; the report
// shows the same numbers.

import type { History, ProbeEvent } from './history.ts';
import { timeline, type Window } from './timeline.ts';

// One listener's probes and its longest gap.
export type ListenerGaps = {
  // The address probed; undefined in histories from before probes named it (one listener).
  listener: string | undefined;
  probes: ProbeEvent[];
  failed: number;
  // Undefined when no load ran.
  longestGap: (Window & { ms: number }) | undefined;
  // The probe never succeeded again after the longest gap began.
  endedWithoutAnswer: boolean;
  // The longest a successful probe took: a gap shorter than that can be one slow probe.
  slowestOkMs: number;
};

// Every probe, and the listener with the longest gap (its gap, whether it answered again, its address).
export type ProbeGaps = ListenerGaps & {
  // Each listener probed, in the order first probed.
  listeners: ListenerGaps[];
};

const gapsOf = (
  listener: string | undefined,
  probes: ProbeEvent[],
  load: Window | undefined,
  to: number,
): ListenerGaps => {
  const failed = probes.filter((p) => !p.ok).length;
  const slowestOkMs = probes.reduce((m, p) => (p.ok ? Math.max(m, p.ms) : m), 0);
  if (load === undefined)
    return { listener, probes, failed, longestGap: undefined, endedWithoutAnswer: false, slowestOkMs };
  const from = load.from;
  let lastOk = from;
  let worst = { from, to: from, ms: 0 };
  for (const p of probes) {
    if (!p.ok || p.t < from || p.t > to) continue;
    if (p.t - lastOk > worst.ms) worst = { from: lastOk, to: p.t, ms: p.t - lastOk };
    lastOk = p.t;
  }
  const neverAgain = to - lastOk > worst.ms;
  if (neverAgain) worst = { from: lastOk, to, ms: to - lastOk };
  return { listener, probes, failed, longestGap: worst, endedWithoutAnswer: neverAgain, slowestOkMs };
};

// The probes of a history, each listener's longest gap, and the worst.
export const probeGaps = (h: History): ProbeGaps => {
  const tl = timeline(h);
  const probes = h.events.filter((e): e is ProbeEvent => e.kind === 'probe');
  const by = new Map<string | undefined, ProbeEvent[]>();
  for (const p of probes) {
    const list = by.get(p.listener);
    if (list === undefined) by.set(p.listener, [p]);
    else list.push(p);
  }
  const to = tl.final ?? tl.end;
  const listeners = [...by].map(([l, ps]) => gapsOf(l, ps, tl.load, to));
  const worst = listeners.reduce<ListenerGaps | undefined>(
    (w, x) => (w === undefined || (x.longestGap?.ms ?? -1) > (w.longestGap?.ms ?? -1) ? x : w),
    undefined,
  );
  return {
    ...(worst ?? gapsOf(undefined, [], tl.load, to)),
    probes,
    failed: probes.filter((p) => !p.ok).length,
    slowestOkMs: Math.max(0, ...listeners.map((l) => l.slowestOkMs)),
    listeners,
  };
};
