// Reading typed flag values, with messages that name the flag, what it expected and what it got.

import { parseDuration } from '../../model/duration.ts';
import { ExitCode, shown, UsageError } from './usage.ts';

// The -h/--help flag every command takes.
export const HELP_FLAG = { help: { type: 'boolean', short: 'h', default: false } } as const;

// Runs a node:util parseArgs call, turning its error (an unknown flag, a missing value) into a usage
// error that ends with the command's usage.
export const parsedOrUsage = <T>(parse: () => T, usage: string): T => {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
};

// Prints the usage for -h/--help; returns the exit code.
export const printUsage = (usage: string): number => {
  process.stdout.write(`${usage}\n`);
  return ExitCode.Ok;
};

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

// --generators: a number of generator processes (1 to 64), or auto.
export const generatorsFlag = (v: string): number | 'auto' => {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(
      `--generators: expected a number of generator processes (1 to 64) or auto, got ${shown(v)}`,
    );
  return n;
};
