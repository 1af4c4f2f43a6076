// The nettcp-chaos command line: one subcommand per file, dispatched here.

import { delimiter, dirname } from 'node:path';
import { VERSION } from '../version.ts';
import { compareCommand } from './compare.ts';
import { hostCommand } from './host.ts';
import { probeCommand } from './probe.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { adoptLauncher } from './stop-requests.ts';
import { validateCommand } from './validate.ts';
import { ExitCode, UsageError } from './usage.ts';

const USAGE = `usage: nettcp-chaos <command> [options]
       nettcp-chaos --version

commands:
  run SUITE...         run suites: load, faults, checks, reports (run --help)
  validate SUITE...    check suite files without running them
  probe URL            open one net.tcp session and show each stage (probe --help)
  host                 run the reference port-sharing host in the foreground (host --help)
  report DIR...        re-render runs from their history.ndjson (report --help)
  compare DIR_A DIR_B  set two runs side by side, flag where B regresses (compare --help)

Exit codes: 0 ok, 1 failed expectation (compare: B regresses), 2 bad usage or invalid suite,
3 interrupted, 4 invalid run.`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  probe: probeCommand,
  host: hostCommand,
  run: runCommand,
  validate: validateCommand,
  report: reportCommand,
  compare: compareCommand,
};

// Runs the command line; returns the exit code.
export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(
      `nettcp-chaos ${VERSION} (Node ${process.version}, ${process.platform}-${process.arch})\n`,
    );
    return ExitCode.Ok;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`nettcp-chaos: unknown command ${JSON.stringify(name)}\n\n${USAGE}\n`);
    return ExitCode.Usage;
  }
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`nettcp-chaos ${name}: ${e.message}\n`);
      return ExitCode.Usage;
    }
    throw e;
  }
};

// Programs a suite starts with `node` get the Node this harness runs on (the pinned 24), not
// whatever older node comes first on the machine's PATH.
process.env['PATH'] = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;

// After the terminal hangs up (SIGHUP) writes to it fail with EIO, and a reader that went away gives
// EPIPE; an unhandled stream error would end the process before a stopping run writes its reports.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

adoptLauncher();
process.exitCode = await main(process.argv.slice(2));
