// What the cross-field rules read: the suite as parsed YAML, before (and whether or not) it validates,
// read defensively so their problems come in the same pass as type errors.

import { isLoopbackIp } from '../../../clients/loopback.ts';

export type RawIssue = { path: (string | number)[]; message: string; key?: boolean };

// One rule: the problems it finds in a raw suite object.
export type Rule = (raw: Record<string, unknown>) => RawIssue[];

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// An object field, or undefined.
export const objAt = (o: unknown, key: string): Record<string, unknown> | undefined => {
  const v = isObj(o) ? o[key] : undefined;
  return isObj(v) ? v : undefined;
};

// A list field's objects with their indexes (non-objects skipped).
export const itemsAt = (o: Record<string, unknown>, key: string): [Record<string, unknown>, number][] => {
  const v = o[key];
  return Array.isArray(v)
    ? v.flatMap((x, i): [Record<string, unknown>, number][] => (isObj(x) ? [[x, i]] : []))
    : [];
};

// Whether a host name or IP literal is loopback without resolving it.
export const loopbackName = (host: string): boolean => host === 'localhost' || isLoopbackIp(host);

// What kind of target the raw suite names, if exactly one.
export const targetKindOfRaw = (raw: Record<string, unknown>): 'host' | 'command' | 'remote' | undefined => {
  const target = objAt(raw, 'target');
  if (target === undefined) return undefined;
  const kinds = (['host', 'command', 'remote'] as const).filter((k) => target[k] !== undefined);
  return kinds.length === 1 ? kinds[0] : undefined;
};

// The vias a suite dials (each load's, the probe's), with where they are written.
export const viasOf = (raw: Record<string, unknown>): [(string | number)[], unknown][] => [
  ...itemsAt(raw, 'load').map(([l, i]): [(string | number)[], unknown] => [['load', i, 'via'], l['via']]),
  ...(objAt(raw, 'probe') === undefined
    ? []
    : [[['probe', 'via'], objAt(raw, 'probe')!['via']] as [(string | number)[], unknown]]),
];
