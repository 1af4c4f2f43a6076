// Errors the HTTP client raises before any traffic: a spec it cannot run, or an autocannon it cannot drive.

// Stable codes; tools match on them.
export const HttpErrorCode = {
  // A load or probe spec with a bad field (`field`, `expected`, `got` say which and how).
  BadSpec: 'HTTP_BAD_SPEC',
  // The installed autocannon lacks what the engine's hooks take over (a version other than the pinned one).
  AutocannonInternals: 'HTTP_AUTOCANNON_INTERNALS',
} as const;
export type HttpErrorCodeValue = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

// One problem with a spec.
export type SpecProblem = { field: string; expected: string; got: unknown };

const show = (v: unknown): string =>
  `${typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))} (${Array.isArray(v) ? 'array' : typeof v})`;

// The one error type of clients/http.
export class HttpClientError extends Error {
  override name = 'HttpClientError';
  readonly code: HttpErrorCodeValue;
  readonly problems: readonly SpecProblem[];

  constructor(code: HttpErrorCodeValue, message: string, problems: readonly SpecProblem[] = []) {
    super(message);
    this.code = code;
    this.problems = problems;
  }

  // Every problem of a spec at once, each as `field: expected ..., got ...`.
  static badSpec(what: string, problems: readonly SpecProblem[]): HttpClientError {
    const lines = problems.map((p) => `${what}.${p.field}: expected ${p.expected}, got ${show(p.got)}`);
    return new HttpClientError(HttpErrorCode.BadSpec, lines.join('\n'), problems);
  }
}
