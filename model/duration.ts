// Durations as suites and flags write them: a number and a unit (`250ms`, `5s`, `1.5m`, `2h`).
// Hand-written: the `ms` package also accepts bare numbers and words ("1", "5 seconds"), which a
// strict suite format must refuse.

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

// Milliseconds in a duration string, or undefined if it is not one.
export const parseDuration = (text: string): number | undefined => {
  const m = PATTERN.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * UNITS[m[2]!]!;
};

// A duration for people: 850ms, 12.5s, 3m20s.
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
};
