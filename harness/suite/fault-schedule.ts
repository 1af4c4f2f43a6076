// The fault schedule of a run: each fault once at its time, or again every `every` while load runs.
// Each occurrence is a fault of its own (its own id, journal entry and heal), labelled "(2 of 5)".

import type { FaultSpecBase } from '../../faults/types.ts';
import { modelOf } from '../load/models/index.ts';
import type { FaultSpec, LoadSpec, ParsedSuite } from './schema.ts';

// A fault of the suite (duration is there on every kind, undefined on instant ones), scheduled.
export type ScheduledFault = FaultSpec &
  FaultSpecBase & {
    // Unique within the run: kind#index, and /n for the n-th occurrence of a repeating fault.
    id: string;
    occurrence?: { n: number; of: number };
  };

// How long a load runs, from its startAt (its model knows).
export const loadLengthMs = (l: LoadSpec): number => modelOf(l).durationMs(l);

// When the last load ends, from the start of load.
export const loadEndMs = (suite: ParsedSuite): number =>
  Math.max(...suite.load.map((l) => l.startAt + loadLengthMs(l)));

export const faultSchedule = (suite: ParsedSuite): ScheduledFault[] => {
  const end = loadEndMs(suite);
  return suite.faults.flatMap((f, i): ScheduledFault[] => {
    const id = `${f.kind}#${i}`;
    const every = f.every;
    if (every === undefined) return [{ ...f, id }];
    const times: number[] = [];
    for (let at = f.at; at < end && times.length < 10_000; at += every) times.push(at);
    return times.map((at, n) => ({
      ...f,
      at,
      id: `${id}/${n + 1}`,
      occurrence: { n: n + 1, of: times.length },
    }));
  });
};

// A run with its loads lengthened or shortened to `ms` (constant models run for it; a ramp keeps its
// shape, its stages scaled), for `run --duration`.
export const withLoadDuration = (suite: ParsedSuite, ms: number): ParsedSuite => ({
  ...suite,
  load: suite.load.map((l): LoadSpec => ({ ...l, ...modelOf(l).withDuration(l, ms) })),
});
