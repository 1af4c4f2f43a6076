// When things happened in a run, read off the History: the load period, fault windows, and the
// phases latency checks scope to (baseline before any fault, during faults, recovery after).

import type { FaultEvent, History, HistoryEvent } from '../history/events.ts';

export type Window = { from: number; to: number };
export type FaultWindow = Window & { id: string; label: string };

export type Timeline = {
  // From the load phase to the drain (or the end of the history).
  load: Window | undefined;
  // When the final observation was taken (after drain and settle).
  final: number | undefined;
  end: number;
  faults: FaultWindow[];
};

const phaseAt = (events: readonly HistoryEvent[], phase: string): number | undefined =>
  events.find((e) => e.kind === 'phase' && e.phase === phase)?.t;

export const timeline = (h: History): Timeline => {
  const ev = h.events;
  const end = ev.reduce((m, e) => Math.max(m, e.t), 0);
  const loadFrom = phaseAt(ev, 'load');
  const loadTo = phaseAt(ev, 'drain') ?? phaseAt(ev, 'stopping') ?? end;
  const injects = new Map<string, FaultEvent>();
  const faults: FaultWindow[] = [];
  for (const e of ev) {
    if (e.kind !== 'fault') continue;
    if (e.type === 'inject') injects.set(e.id, e);
    if (e.type === 'heal') {
      const i = injects.get(e.id);
      if (i !== undefined) faults.push({ id: e.id, label: e.label, from: i.t, to: e.t });
      injects.delete(e.id);
    }
  }
  // Faults never healed (the run was cut short) last to the end.
  for (const i of injects.values()) faults.push({ id: i.id, label: i.label, from: i.t, to: end });
  faults.sort((a, b) => a.from - b.from);
  return {
    load: loadFrom === undefined ? undefined : { from: loadFrom, to: loadTo },
    final: phaseAt(ev, 'final'),
    end,
    faults,
  };
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

// Milliseconds as people read them in a summary: 850ms, 8.2s.
export const human = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
