// `nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N]`: runs suites one after another and
// exits 0 when each met its expectation, 1 when one did not, 3 when interrupted, 4 when a run was invalid.

import { parseArgs } from 'node:util';
import { renderSummary } from '../../reports/console.ts';
import { buildReport } from '../../reports/json.ts';
import { writeReports } from '../../reports/write.ts';
import type { RunResult } from '../run/result.ts';
import { runSuite } from '../run/run-suite.ts';
import { attachProgress } from './progress.ts';
import { InvalidSuites, loadSuites } from './suites.ts';
import { ExitCode, UsageError } from './usage.ts';

export const RUN_USAGE = `usage: nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N]

Runs each suite: starts its target, runs load and faults, checks, writes DIR/<suite>/ with
history.ndjson, report.json, junit.xml and report.html. Ctrl-C stops load, heals faults, stops the
target and still writes the reports (a second Ctrl-C forces).

  --out DIR    where runs are written (default runs)
  --json       print the reports as JSON on stdout instead of the summary
  --seed N     the seed for payloads and random choices (overrides the suite's)`;

export const runCommand = async (argv: string[]): Promise<number> => {
  let values: { out: string; json: boolean; seed?: string; help: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'runs' },
        json: { type: 'boolean', default: false },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${RUN_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return ExitCode.Ok;
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed))
      throw new UsageError(`--seed: expected an integer, got ${JSON.stringify(values.seed)}`);
  }
  let suites;
  try {
    suites = await loadSuites(positionals);
  } catch (e) {
    if (!(e instanceof InvalidSuites)) throw e;
    process.stderr.write(`${e.lines.join('\n')}\n`);
    return ExitCode.Usage;
  }

  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(
        `\n${sig}: stopping load, healing faults, stopping the target; reports will still be written (again to force)\n`,
      );
      abort.abort();
    } else {
      process.stderr.write(`\n${sig} again: exiting now; the watchdog stops what is left\n`);
      process.exit(ExitCode.Interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: RunResult[] = [];
  try {
    for (const loaded of suites) {
      if (abort.signal.aborted) break;
      let detach: (() => void) | undefined;
      const r = await runSuite(loaded, {
        outDir: values.out,
        seed,
        signal: abort.signal,
        onHistory: (h) => (detach = attachProgress(h)),
        writeReports,
      });
      detach?.();
      results.push(r);
      if (!values.json) process.stdout.write(`${renderSummary(r)}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(results.map(buildReport), null, 2)}\n`);
  const outcomes = new Set(results.map((r) => r.outcome));
  if (abort.signal.aborted || outcomes.has('interrupted')) return ExitCode.Interrupted;
  if (outcomes.has('invalid')) return ExitCode.InvalidRun;
  if (outcomes.has('not-met')) return ExitCode.Failed;
  return ExitCode.Ok;
};
