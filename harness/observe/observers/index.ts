// The observers by the names suites use, the observe block of a suite built from their schemas, and
// which observers a run starts: those the block names, and those on by default for the target's kind.

import type * as z from 'zod';
import type { FigureName } from '../../../model/figures.ts';
import type { TargetKind } from '../../../model/history.ts';
import { byName } from '../../../model/plugin.ts';
import { positiveDuration, record } from '../../../model/fields.ts';
import type { AnyObserver } from './observer.ts';
import { proc } from './proc.ts';
import { prometheus } from './prometheus.ts';

// In the order the README lists them; a figure two observers supply is read from the first.
export const OBSERVER_LIST: readonly AnyObserver[] = [proc, prometheus];

// Every observer by name.
export const OBSERVERS: ReadonlyMap<string, AnyObserver> = byName(OBSERVER_LIST);

const names = OBSERVER_LIST.map((o) => o.name).join(', ');

// A suite's observe block: the interval, and each observer's settings under its name.
export const observeSchema = record(
  {
    interval: positiveDuration('how often observers read the target').prefault('500ms'),
    ...Object.fromEntries(OBSERVER_LIST.map((o) => [o.name, o.schema.optional()])),
  },
  `observers: { interval, ${names} }`,
);

export type ObserveSpec = z.output<typeof observeSchema>;

// The observers a run starts for a target kind, with their settings.
export const configuredObservers = (spec: ObserveSpec, target: TargetKind): [AnyObserver, unknown][] =>
  OBSERVER_LIST.flatMap((o): [AnyObserver, unknown][] => {
    const s = (spec as Record<string, unknown>)[o.name];
    if (s !== undefined) return [[o, s]];
    return o.byDefault?.includes(target) === true ? [[o, o.schema.parse({})]] : [];
  });

// The figures the run's observers supply.
export const suppliedFigures = (spec: ObserveSpec, target: TargetKind): FigureName[] => [
  ...new Set(configuredObservers(spec, target).flatMap(([o, s]) => o.figures(s))),
];
