// Each fault of a run as one record, from its events grouped by id: when it was journaled, took
// effect and healed, what it noted and what failed. Checks, report.json and report.html read these.

import type { FaultEvent, History } from './history.ts';

export type FaultRecord = {
  id: string;
  // The fault kind (recycle, cpu-spike, ...).
  kind: string;
  label: string;
  // Run times (ms); undefined when that step never happened.
  intentAt?: number;
  injectedAt?: number;
  healedAt?: number;
  // The spec as journaled (its intent's detail).
  spec?: Record<string, unknown>;
  notes: Record<string, unknown>[];
  errors: { at: number; during?: string; message?: string; detail: Record<string, unknown> }[];
};

// The faults of a history in the order they were first recorded.
export const faultRecords = (h: History): FaultRecord[] => {
  const byId = new Map<string, FaultRecord>();
  for (const e of h.events) {
    if (e.kind !== 'fault') continue;
    let r = byId.get(e.id);
    if (r === undefined) {
      r = { id: e.id, kind: e.fault, label: e.label, notes: [], errors: [] };
      byId.set(e.id, r);
    }
    record(r, e);
  }
  return [...byId.values()];
};

const record = (r: FaultRecord, e: FaultEvent): void => {
  const detail = e.detail ?? {};
  switch (e.type) {
    case 'intent':
      r.intentAt ??= e.t;
      if (typeof detail['spec'] === 'object' && detail['spec'] !== null)
        r.spec = detail['spec'] as Record<string, unknown>;
      return;
    case 'inject':
      r.injectedAt ??= e.t;
      return;
    case 'heal':
      r.healedAt ??= e.t;
      return;
    case 'note':
      r.notes.push(detail);
      return;
    case 'error':
      r.errors.push({
        at: e.t,
        ...(typeof detail['during'] === 'string' ? { during: detail['during'] } : {}),
        ...(typeof detail['message'] === 'string' ? { message: detail['message'] } : {}),
        detail,
      });
  }
};
