// Loading the suites a command names, all before any runs: every problem of every file at once.
// Each file: its text, with `${NAME}` replaced from the environment; validated; expanded into its
// variants; each run with the command line's `--set` overrides applied. Problems point at the file
// as written (columns before any value was put in), or at the --set that caused them.

import { substituteEnv } from '../suite/env.ts';
import {
  formatProblem,
  type LoadResult,
  loadSuiteText,
  readYamlFile,
  type SuiteProblem,
} from '../suite/load.ts';
import { applyOverrides, type Override, parseOverride } from '../suite/overrides.ts';
import { expandVariants, type RunsResult, type SuiteRun } from '../suite/variants.ts';
import { HarnessError, HarnessErrorCode } from '../errors.ts';
import { UsageError } from './usage.ts';

export class InvalidSuites extends HarnessError {
  override name = 'InvalidSuites';
  readonly lines: string[];
  constructor(lines: string[]) {
    super(HarnessErrorCode.InvalidSuite, `${lines.length} problem(s) in the suites`);
    this.lines = lines;
  }
}

// What the command line adds to the files: the environment and --set overrides as given.
export type SuiteInputs = { env?: Readonly<Record<string, string | undefined>>; sets?: readonly string[] };

// The --set flags read; a bad one is a usage error.
const overridesOf = (sets: readonly string[]): Override[] =>
  sets.map((s) => {
    const o = parseOverride(s);
    if (typeof o === 'string') throw new UsageError(`--set: ${o}`);
    return o;
  });

// One file's runs, or its problems.
const loadFile = async (
  file: string,
  env: SuiteInputs['env'],
  overrides: readonly Override[],
): Promise<RunsResult> => {
  const read = await readYamlFile(file, 'suite');
  if ('problems' in read) return { ok: false, problems: read.problems };
  const sub = substituteEnv(read.text, file, env ?? {});
  if (!sub.ok) return sub;
  // Places in the text read are places in the file once the values put in are taken out again.
  const inFile = (p: SuiteProblem): SuiteProblem => {
    if (p.file !== file || p.line === 0) return p;
    const [line, col] = sub.toFile(p.line, p.col);
    return { ...p, line, col };
  };
  const failed = (problems: readonly SuiteProblem[]): RunsResult => ({
    ok: false,
    problems: problems.map(inFile),
  });
  const loaded: LoadResult = loadSuiteText(sub.text, file);
  if (!loaded.ok) return failed(loaded.problems);
  const expanded = expandVariants(loaded.loaded);
  if (!expanded.ok) return failed(expanded.problems);
  const runs: SuiteRun[] = [];
  const problems: SuiteProblem[] = [];
  for (const run of expanded.runs) {
    const r = applyOverrides(run, overrides);
    if (!r.ok) problems.push(...r.problems);
    else
      runs.push({
        ...run,
        ...r.loaded,
        notes: [...sub.notes, ...overrides.map((o) => `--set ${o.given}`), ...(run.notes ?? [])],
      });
  }
  // The same --set problem in every variant is said once.
  const unique = [...new Map(problems.map((p) => [formatProblem(p), p])).values()];
  return unique.length > 0 ? failed(unique) : { ok: true, runs };
};

// Each file's runs: the suite itself, or one run per variant.
export const loadSuites = async (files: readonly string[], inputs: SuiteInputs = {}): Promise<SuiteRun[]> => {
  if (files.length === 0) throw new UsageError('expected at least one suite file');
  const overrides = overridesOf(inputs.sets ?? []);
  const results = await Promise.all(files.map((f) => loadFile(f, inputs.env ?? process.env, overrides)));
  const problems = results.flatMap((r) => (r.ok ? [] : r.problems.map(formatProblem)));
  if (problems.length > 0) throw new InvalidSuites(problems);
  return results.flatMap((r) => (r.ok ? r.runs : []));
};
