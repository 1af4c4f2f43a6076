// How a fault's record (its notes and errors) reads in a report: sentences and small tables, made by the
// fault's plug-in when the run is judged and carried in the RunResult, as verdicts carry their view, so
// reports show any fault without knowing its kind. A fault kind without its own way of saying it gets
// the generic one here: each note's fields in words.

import type { FaultRecord } from './fault-records.ts';
import { human } from './format.ts';
import type { ViewTable } from './verdict.ts';

export type FaultView = {
  // What the fault did and measured, one sentence each.
  sentences: string[];
  // Lists too long for a sentence (processes before and after, per-process figures).
  tables: ViewTable[];
};

// `refusedDuring` -> `refused during`; `pidsBefore` -> `pids before`.
export const words = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// A value in words: numbers as they are, lists joined, objects as `key value` pairs, empty as `none`.
export const valueText = (v: unknown): string => {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v === '' ? 'none' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(valueText).join(', ');
  if (isPlain(v)) {
    const entries = Object.entries(v);
    return entries.length === 0 ? 'none' : entries.map(([k, x]) => `${words(k)} ${valueText(x)}`).join(', ');
  }
  return JSON.stringify(v);
};

// A list of like objects as a table (their keys as columns); undefined when it is not one.
export const tableOf = (caption: string, v: unknown): ViewTable | undefined => {
  if (!Array.isArray(v) || v.length === 0 || !v.every(isPlain)) return undefined;
  const columns = [...new Set(v.flatMap((o) => Object.keys(o)))];
  return {
    caption,
    columns: columns.map(words),
    rows: v.map((o) => columns.map((c) => valueText(o[c]))),
  };
};

// What failed, one sentence per error: `Its heal failed at 7.2s: the host did not answer`.
export const errorSentences = (r: FaultRecord): string[] =>
  r.errors.map(
    (e) =>
      `Its ${e.during ?? 'step'} failed at ${human(e.at)} (run time)${e.message === undefined ? '' : `: ${e.message}`}.`,
  );

// The generic view: each note's scalar fields as one sentence, its lists of objects as tables, then
// the errors.
export const genericFaultView = (r: FaultRecord): FaultView => {
  const sentences: string[] = [];
  const tables: ViewTable[] = [];
  for (const note of r.notes) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(note)) {
      const t = tableOf(words(k), v);
      if (t !== undefined) tables.push(t);
      else parts.push(`${words(k)}: ${valueText(v)}`);
    }
    if (parts.length > 0) {
      const text = parts.join('; ');
      sentences.push(`${text[0]!.toUpperCase()}${text.slice(1)}.`);
    }
  }
  return { sentences: [...sentences, ...errorSentences(r)], tables };
};
