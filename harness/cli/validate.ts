// `nettcp-chaos validate SUITE... [--set PATH=VALUE]...`: checks suites without running them (with the
// environment's values and the overrides a run would get); exit 0 when all are valid, 2 if not.

import { parseArgs } from 'node:util';
import { HELP_FLAG, parsedOrUsage, printUsage } from './flags.ts';
import { InvalidSuites, loadSuites } from './suites.ts';
import { ExitCode } from './usage.ts';

// validate --help.
export const VALIDATE_USAGE = `usage: nettcp-chaos validate SUITE... [--set PATH=VALUE]...

Checks suite files without running them: every problem of every file at once, each as
FILE:LINE:COL path: what was expected, what was found. \${NAME} and \${NAME:-default} take their
values from the environment, and --set PATH=VALUE sets a field as run --set does.

Exit 0 when all are valid, 2 when any is not.`;

export const validateCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: { set: { type: 'string', multiple: true, default: [] }, ...HELP_FLAG },
      }),
    VALIDATE_USAGE,
  );
  if (values.help) return printUsage(VALIDATE_USAGE);
  try {
    const suites = await loadSuites(positionals, { env: process.env, sets: values.set });
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
