// Usage errors of the command line; its exit codes are model/exit-codes.ts's table.

export { ExitCode } from '../../model/exit-codes.ts';

export { UsageError } from '../errors.ts';

// Describes a value the way validation messages do: `"fast" (string)`.
export const shown = (v: unknown): string =>
  `${JSON.stringify(v) ?? String(v)} (${v === null ? 'null' : typeof v})`;
