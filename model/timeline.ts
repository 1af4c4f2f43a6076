// When things happened in a run, read off the History: the phases, the load period, fault windows, and
// the phases latency checks scope to (baseline before any fault, during faults, recovery after).

import { type FaultRecord, faultRecords } from './fault-records.ts';
import type { History, Phase } from './history.ts';

export type Window = { from: number; to: number };
export type FaultWindow = Window & { id: string; label: string };

export type Timeline = {
  // When each phase began (the first time).
  phases: Partial<Record<Phase, number>>;
  // From the load phase to the drain (or the end of the history).
  load: Window | undefined;
  // When the final observation was taken (after drain and settle).
  final: number | undefined;
  end: number;
  // Faults that took effect, by when; one never healed (the run was cut short) lasts to the end.
  faults: FaultWindow[];
  // Every fault, with its journal.
  faultRecords: FaultRecord[];
};

const build = (h: History): Timeline => {
  const phases: Partial<Record<Phase, number>> = {};
  let end = 0;
  for (const e of h.events) {
    if (e.t > end) end = e.t;
    if (e.kind === 'phase') phases[e.phase] ??= e.t;
  }
  const records = faultRecords(h);
  const faults = records
    .filter((r) => r.injectedAt !== undefined)
    .map((r) => ({ id: r.id, label: r.label, from: r.injectedAt!, to: r.healedAt ?? end }))
    .sort((a, b) => a.from - b.from);
  const loadFrom = phases.load;
  return {
    phases,
    load: loadFrom === undefined ? undefined : { from: loadFrom, to: phases.drain ?? phases.stopping ?? end },
    final: phases.final,
    end,
    faults,
    faultRecords: records,
  };
};

// Derived once per history as it stands: checks and reports ask again and again.
const cache = new WeakMap<History, { length: number; timeline: Timeline }>();

// The timeline of a history.
export const timeline = (h: History): Timeline => {
  const hit = cache.get(h);
  if (hit !== undefined && hit.length === h.events.length) return hit.timeline;
  const tl = build(h);
  cache.set(h, { length: h.events.length, timeline: tl });
  return tl;
};

export type PhaseName = 'all' | 'baseline' | 'faults' | 'recovery';

// Whether run time t falls in a phase: baseline is load before the first fault; faults is inside any
// fault window; recovery is after a fault heals until the next one (or load ends).
export const inPhase = (tl: Timeline, phase: PhaseName, t: number): boolean => {
  const load = tl.load;
  if (load === undefined || t < load.from || t > load.to) return false;
  if (phase === 'all') return true;
  const first = tl.faults[0];
  if (phase === 'baseline') return first === undefined || t < first.from;
  const during = tl.faults.some((f) => t >= f.from && t <= f.to);
  if (phase === 'faults') return during;
  return !during && first !== undefined && t > first.from;
};

export { human } from './format.ts';
