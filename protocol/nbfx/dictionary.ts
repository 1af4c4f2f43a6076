// DictionaryString ids: even ids name the [MC-NBFS] static strings, odd ids the [MC-NBFSE] session strings.

import { NBFS_STRINGS } from './nbfs-strings.ts';

const BY_STRING: ReadonlyMap<string, number> = new Map(NBFS_STRINGS.map((s, i) => [s, i * 2]));

// The static string an even id stands for, or undefined.
export const staticString = (id: number): string | undefined =>
  id % 2 === 0 ? NBFS_STRINGS[id / 2] : undefined;

// The static id of a string, or undefined when the table does not hold it.
export const staticId = (s: string): number | undefined => BY_STRING.get(s);
