// `nettcp-chaos report DIR... [--json]`: re-renders runs from their history.ndjson alone (the suite
// recorded in it, the checks run again, the outcome the run recorded) and rewrites report.json,
// junit.xml and report.html. Exit 0 when every run was rendered, 2 when a DIR is not a run.

import { parseArgs } from 'node:util';
import { renderSummary } from '../../reports/console.ts';
import type { Report } from '../../reports/json.ts';
import { rebuildRun, RunDirError, runDirs } from '../run/rebuild.ts';
import { writeReports } from '../../reports/write.ts';
import { HELP_FLAG, parsedOrUsage, printUsage } from './flags.ts';
import { ExitCode, UsageError } from './usage.ts';

// report --help.
export const REPORT_USAGE = `usage: nettcp-chaos report DIR... [--json]

Re-renders runs from their history.ndjson alone: validates the suite recorded in it, runs the
checks again, and rewrites report.json, junit.xml and report.html beside it; then prints each
run's summary. DIR is a run folder (runs/<suite>/latest, runs/<suite>/<time>, or OUT/<suite> with
--out) or a folder holding several. A history cut short by a killed run renders what it recorded
(as an interrupted run).

  --json   print the reports as JSON on stdout instead of the summaries

Exit 0 when every run was rendered, whatever its outcome; 2 when a DIR is not a run folder or its
history cannot be read.`;

// Runs the command; returns the exit code.
export const reportCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false }, ...HELP_FLAG },
      }),
    REPORT_USAGE,
  );
  if (values.help) return printUsage(REPORT_USAGE);
  if (positionals.length === 0) throw new UsageError(`expected at least one run folder\n\n${REPORT_USAGE}`);
  const problems: string[] = [];
  const reports: Report[] = [];
  for (const dir of positionals) {
    try {
      for (const run of await runDirs(dir)) {
        const { result } = await rebuildRun(run);
        reports.push(await writeReports(result));
        if (!values.json) process.stdout.write(`${renderSummary(result)}\n`);
      }
    } catch (e) {
      if (!(e instanceof RunDirError)) throw e;
      problems.push(e.message);
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((p) => `nettcp-chaos report: ${p}`).join('\n')}\n`);
    return ExitCode.Usage;
  }
  return ExitCode.Ok;
};
