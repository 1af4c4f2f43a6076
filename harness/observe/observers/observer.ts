// The shape of an observer: its schema (its block under a suite's `observe:`), the figures it supplies,
// whether it fits the target, and a session that reads the target every observe interval and records
// each reading (or why it failed: a gap) in the history.

import type * as z from 'zod';
import type { FigureName } from '../../../model/figures.ts';
import type { ObserverSample, TargetKind, TargetSample } from '../../../model/history.ts';
import type { Plugin } from '../../../model/plugin.ts';
import type { RunningTarget } from '../../target/types.ts';

export type ObserverContext = {
  target: RunningTarget;
  // Whether the suite lets the harness reach outside loopback (an exporter on another machine).
  allowRemote: boolean;
  // The observe interval (ms): a reading slower than it is cut off and recorded as a gap.
  intervalMs: number;
  now: () => number;
  record: (e: TargetSample | ObserverSample) => void;
};

export type ObserverSession = {
  // Takes a reading now and records it; `detail` on the baseline and final readings (where the observer
  // has more to say then, such as each fd's target). Never rejects: a failed reading is recorded.
  read(o: { detail: boolean }): Promise<void>;
};

export type Observer<S extends z.ZodType = z.ZodType> = Plugin<S> & {
  // The figures it supplies with this spec.
  figures(spec: z.output<S>): FigureName[];
  // Problems with this spec for this target kind (empty when fine), in the suite's error words.
  checkTarget?(spec: z.output<S>, target: TargetKind): string[];
  // Target kinds it observes when the suite's observe block does not name it.
  readonly byDefault?: readonly TargetKind[];
  // The URLs it reads (the loopback rule checks them).
  urls?(spec: z.output<S>): string[];
  start(spec: z.output<S>, ctx: ObserverContext): ObserverSession;
};

// An observer of any kind, as the registry holds it.
export type AnyObserver = Observer;
