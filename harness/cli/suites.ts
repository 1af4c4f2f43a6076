// Loading the suites a command names, all before any runs: every problem of every file at once.

import { formatProblem, type LoadedSuite, loadSuiteFile } from '../suite/load.ts';
import { UsageError } from './usage.ts';

export class InvalidSuites extends Error {
  override name = 'InvalidSuites';
  readonly lines: string[];
  constructor(lines: string[]) {
    super(`${lines.length} problem(s) in the suites`);
    this.lines = lines;
  }
}

export const loadSuites = async (files: readonly string[]): Promise<LoadedSuite[]> => {
  if (files.length === 0) throw new UsageError('expected at least one suite file');
  const results = await Promise.all(files.map((f) => loadSuiteFile(f)));
  const problems = results.flatMap((r) => (r.ok ? [] : r.problems.map(formatProblem)));
  if (problems.length > 0) throw new InvalidSuites(problems);
  return results.map((r) => (r as { ok: true; loaded: LoadedSuite }).loaded);
};
