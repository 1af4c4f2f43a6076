// What the faults' `present` hooks share: their times in words, and the host's own events (its JSON
// lines, kept in the history as target log events with their fields) around a fault.

import type { FaultRecord } from '../model/fault-records.ts';
import { human } from '../model/format.ts';
import type { History } from '../model/history.ts';
import { timeline } from '../model/timeline.ts';

// A host event as the history keeps it: the event's fields and when the harness logged it (run time).
export type HostEvent = { t: number; data: Record<string, unknown> };

// The host's events named `event` from `from` to `to` (run times, ms).
export const hostEvents = (h: History, event: string, from: number, to = Infinity): HostEvent[] =>
  h.events.flatMap((e) =>
    e.kind === 'log' && e.source === 'target' && e.data?.['event'] === event && e.t >= from && e.t <= to
      ? [{ t: e.t, data: e.data }]
      : [],
  );

// How many of `events` gave each reason (their `reason`, else their fault), most first:
// `listenBacklog 442, maxPendingConnections 3`.
export const reasonsText = (events: readonly HostEvent[]): string => {
  const by = new Map<string, number>();
  for (const e of events) {
    const why = [e.data['reason'], e.data['fault']].find((x) => typeof x === 'string' && x !== '');
    const k = typeof why === 'string' ? why : 'no reason given';
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
    .join(', ');
};

// `issued at 7.1s, took effect at 8.7s (1.6s later)`, or only what happened (run times).
export const whenText = (r: FaultRecord): string => {
  if (r.intentAt === undefined || r.injectedAt === undefined)
    return r.intentAt === undefined ? 'never issued' : `issued at ${human(r.intentAt)}, never took effect`;
  const took = r.injectedAt - r.intentAt;
  return took < 50
    ? `at ${human(r.injectedAt)}`
    : `issued at ${human(r.intentAt)}, took effect at ${human(r.injectedAt)} (${human(took)} later)`;
};

// `1 process`, `3 processes`.
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

// The host refused connections after `from` until `until` (the next fault's issue, or the run's end): a
// sentence, or none when it refused none.
export const refusedAfter = (h: History, from: number, until: number): string[] => {
  const refused = hostEvents(h, 'refused', from, until);
  if (refused.length === 0) return [];
  return [
    `After it took effect the host refused ${plural(refused.length, 'connection')} (${reasonsText(refused)}), ` +
      `from ${human(refused[0]!.t)} to ${human(refused.at(-1)!.t)}.`,
  ];
};

// When the next fault after `r` was issued (or Infinity): what came after `r` is its own until then.
export const nextIssued = (h: History, r: FaultRecord): number =>
  Math.min(
    Infinity,
    ...timeline(h).faultRecords.flatMap((x) =>
      x.intentAt !== undefined && r.intentAt !== undefined && x.intentAt > r.intentAt ? [x.intentAt] : [],
    ),
  );
