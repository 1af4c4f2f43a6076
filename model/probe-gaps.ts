// The listener probe's record: how many probes, how many failed, and the longest stretch without a
// successful one while load ran (through drain and settle). listener.responsive judges it; the report
// shows the same numbers.

import type { History, ProbeEvent } from './history.ts';
import { timeline, type Window } from './timeline.ts';

export type ProbeGaps = {
  probes: ProbeEvent[];
  failed: number;
  // Undefined when no load ran.
  longestGap: (Window & { ms: number }) | undefined;
  // The probe never succeeded again after the longest gap began.
  endedWithoutAnswer: boolean;
  // The longest a successful probe took: a gap shorter than that can be one slow probe.
  slowestOkMs: number;
};

// The probes of a history and their longest gap.
export const probeGaps = (h: History): ProbeGaps => {
  const tl = timeline(h);
  const probes = h.events.filter((e): e is ProbeEvent => e.kind === 'probe');
  const failed = probes.filter((p) => !p.ok).length;
  const slowestOkMs = probes.reduce((m, p) => (p.ok ? Math.max(m, p.ms) : m), 0);
  if (tl.load === undefined)
    return { probes, failed, longestGap: undefined, endedWithoutAnswer: false, slowestOkMs };
  const from = tl.load.from;
  const to = tl.final ?? tl.end;
  let lastOk = from;
  let worst = { from, to: from, ms: 0 };
  for (const p of probes) {
    if (!p.ok || p.t < from || p.t > to) continue;
    if (p.t - lastOk > worst.ms) worst = { from: lastOk, to: p.t, ms: p.t - lastOk };
    lastOk = p.t;
  }
  const neverAgain = to - lastOk > worst.ms;
  if (neverAgain) worst = { from: lastOk, to, ms: to - lastOk };
  return { probes, failed, longestGap: worst, endedWithoutAnswer: neverAgain, slowestOkMs };
};
