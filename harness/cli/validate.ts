// `nettcp-chaos validate SUITE...`: checks suites without running them; exit 0 when all are valid, 2 if not.

import { InvalidSuites, loadSuites } from './suites.ts';
import { ExitCode } from './usage.ts';

export const validateCommand = async (argv: string[]): Promise<number> => {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: nettcp-chaos validate SUITE...\n\nChecks suite files; exit 0 when all are valid, 2 when any is not.\n',
    );
    return ExitCode.Ok;
  }
  try {
    const suites = await loadSuites(argv);
    for (const { file, suite } of suites) {
      process.stdout.write(
        `ok ${file}: ${suite.name}, ${suite.load.length} load(s), ${suite.faults.length} fault(s), ${Object.keys(suite.checks).length} check(s), expect ${suite.expect === 'pass' ? 'pass' : `fail ${suite.expect.fail.join(', ')}`}\n`,
      );
    }
    return ExitCode.Ok;
  } catch (e) {
    if (!(e instanceof InvalidSuites)) throw e;
    process.stderr.write(`${e.lines.join('\n')}\n`);
    return ExitCode.Usage;
  }
};
