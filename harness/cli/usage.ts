// Usage errors of the command line; its exit codes are model/exit-codes.ts's table.

export { ExitCode } from '../../model/exit-codes.ts';

// A mistake in how the command was called; printed without a stack, exit 2.
export class UsageError extends Error {
  override name = 'UsageError';
}

// Describes a value the way validation messages do: `"fast" (string)`.
export const shown = (v: unknown): string =>
  `${JSON.stringify(v) ?? String(v)} (${v === null ? 'null' : typeof v})`;
