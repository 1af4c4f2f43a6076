// Reading typed flag values, with messages that name the flag, what it expected and what it got.

import { parseDuration } from '../duration.ts';
import { shown, UsageError } from './usage.ts';

export const intFlag = (name: string, v: string | undefined, fallback: number, min = 0): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name}: expected an integer of at least ${min}, got ${shown(v)}`);
  }
  return n;
};

export const durationFlag = (name: string, v: string | undefined, fallbackMs: number): number => {
  if (v === undefined) return fallbackMs;
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(
      `--${name}: expected a positive duration with a unit (250ms, 5s, 2m), got ${shown(v)}`,
    );
  }
  return ms;
};
