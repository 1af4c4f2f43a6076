// Numbers as people read them in summaries, tables and charts.

// Milliseconds: 850ms, 8.2s.
export const human = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;

// A run time (ms since the run started) or a duration, or '-' when there is none.
export const ms = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? human(x) : '-');

// A latency, with more precision below a second than a run time needs.
export const latencyMs = (x: number): string =>
  x >= 1000 ? `${(x / 1000).toFixed(2)}s` : x >= 10 ? `${Math.round(x)}ms` : `${x.toFixed(1)}ms`;

// A share as a percentage: 0.25%, 12.5%.
export const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

// TCP states as `3 ESTABLISHED, 201 CLOSE_WAIT`.
export const states = (tcp: Record<string, number> | undefined): string =>
  Object.entries(tcp ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

// A list as a sentence ends it: "a, b or c".
export const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

// Bytes as people read them: 812B, 4.0KB, 12.3MB (binary units, as sizes in suites are).
export const bytes = (n: number): string => {
  const a = Math.abs(n);
  if (a < 1024) return `${Math.round(n)}B`;
  if (a < 1024 ** 2) return `${(n / 1024).toFixed(1)}KB`;
  if (a < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}MB`;
  return `${(n / 1024 ** 3).toFixed(2)}GB`;
};

// A number or text from evidence as it is, '-' for anything else (missing, an object).
export const plain = (x: unknown): string =>
  typeof x === 'number' || typeof x === 'string' ? String(x) : '-';
