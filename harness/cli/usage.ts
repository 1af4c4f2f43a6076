// Usage errors and the exit codes of the command line (docs: README, Exit codes).

export const ExitCode = {
  // Every suite met its expectation (probe: the session and its calls succeeded).
  Ok: 0,
  // A suite did not meet its expectation (probe: the server faulted, timed out or failed).
  Failed: 1,
  // Invalid suite or usage.
  Usage: 2,
  // Interrupted; reports still written.
  Interrupted: 3,
  // The run itself is invalid (saturated load generator, target never ready).
  InvalidRun: 4,
} as const;

// A mistake in how the command was called; printed without a stack, exit 2.
export class UsageError extends Error {
  override name = 'UsageError';
}

// Describes a value the way validation messages do: `"fast" (string)`.
export const shown = (v: unknown): string =>
  `${JSON.stringify(v) ?? String(v)} (${v === null ? 'null' : typeof v})`;
