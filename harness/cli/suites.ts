// Loading the suites a command names, all before any runs: every problem of every file at once.

import { formatProblem, loadSuiteFile } from '../suite/load.ts';
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

// Each file's runs: the suite itself, or one run per variant.
export const loadSuites = async (files: readonly string[]): Promise<SuiteRun[]> => {
  if (files.length === 0) throw new UsageError('expected at least one suite file');
  const results = (await Promise.all(files.map((f) => loadSuiteFile(f)))).map((r): RunsResult =>
    r.ok ? expandVariants(r.loaded) : r,
  );
  const problems = results.flatMap((r) => (r.ok ? [] : r.problems.map(formatProblem)));
  if (problems.length > 0) throw new InvalidSuites(problems);
  return results.flatMap((r) => (r.ok ? r.runs : []));
};
