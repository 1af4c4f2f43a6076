// Schema leaves for suites: each carries the phrase that both the JSON Schema (editor hover) and the
// validation error use, so `expected a positive number of sessions per second` is said once.

import * as z from 'zod';
import { parseDuration } from './duration.ts';

const DURATION = /^\d+(?:\.\d+)?(?:ms|s|m|h)$/;

// A duration string (`250ms`, `5s`, `2m`) read as milliseconds; `purpose` says what it is for.
export const duration = (purpose?: string) => {
  const what = `a duration with a unit such as 250ms or 5s${purpose === undefined ? '' : ` (${purpose})`}`;
  return z
    .string({ error: what })
    .regex(DURATION, { error: what })
    .transform((s) => parseDuration(s)!)
    .meta({ description: what });
};

// A duration that must be above zero.
export const positiveDuration = (purpose?: string) => {
  const what = `a positive duration with a unit such as 250ms or 5s${purpose === undefined ? '' : ` (${purpose})`}`;
  return z
    .string({ error: what })
    .regex(DURATION, { error: what })
    .transform((s) => parseDuration(s)!)
    .refine((ms) => ms > 0, { error: what })
    .meta({ description: what });
};

export const positiveInt = (what: string) =>
  z.int({ error: what }).positive({ error: what }).meta({ description: what });

export const nonNegativeInt = (what: string) =>
  z.int({ error: what }).nonnegative({ error: what }).meta({ description: what });

export const positiveNumber = (what: string) =>
  z.number({ error: what }).positive({ error: what }).meta({ description: what });

export const fraction = (what: string) =>
  z.number({ error: what }).min(0, { error: what }).max(1, { error: what }).meta({ description: what });

export const text = (what: string) =>
  z.string({ error: what }).min(1, { error: what }).meta({ description: what });

export const bool = (what: string) => z.boolean({ error: what }).meta({ description: what });

// One of a fixed set of words; the message lists them.
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what?: string) => {
  const phrase = what ?? `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return z.enum(values, { error: phrase }).meta({ description: phrase });
};

// A URL path such as /orders.
export const urlPath = (what = 'a path starting with / (for example /orders)') =>
  z
    .string({ error: what })
    .regex(/^\/[^\s]*$/, { error: what })
    .meta({ description: what });

// An object that refuses unknown keys (each is reported with the keys it could have been).
export const record = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
  z.strictObject(shape, { error: what }).meta({ description: what });

// A list of at least `min` items.
export const list = <T extends z.ZodType>(item: T, what: string, min = 0) =>
  z.array(item, { error: what }).min(min, { error: what }).meta({ description: what });

const SIZE = /^(\d+(?:\.\d+)?)(B|KB|MB|GB)$/;
const SIZE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

// Bytes in a size string (`512B`, `4KB`, `50MB`, `1GB`; binary units), or undefined if it is not one.
export const parseSize = (text: string): number | undefined => {
  const m = SIZE.exec(text.trim());
  return m === null ? undefined : Math.round(Number(m[1]) * SIZE_UNITS[m[2]!]!);
};

// A size string (`50MB`, `4KB`) read as bytes; `purpose` says what it is for.
export const size = (purpose: string) => {
  const what = `a size with a unit such as 4KB or 50MB (${purpose})`;
  return z
    .string({ error: what })
    .regex(SIZE, { error: what })
    .transform((s) => parseSize(s)!)
    .meta({ description: what });
};
