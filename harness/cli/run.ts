// `nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N] [--dry-run]`: runs suites one after another
// and exits 0 when each met its expectation, 1 when one did not, 3 when interrupted, 4 when a run was
// invalid. --dry-run prints each run's resolved plan and starts nothing.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSummary } from '../../reports/console.ts';
import type { Report } from '../../reports/json.ts';
import { renderVariants, type VariantRow, variantRow } from '../../reports/variants.ts';
import { writeReports } from '../../reports/write.ts';
import type { RunResult } from '../run/result.ts';
import { runSuite } from '../run/run-suite.ts';
import { planOf, renderPlan } from './dry-run.ts';
import { attachProgress } from './progress.ts';
import { withLoadDuration } from '../suite/fault-schedule.ts';
import type { SuiteRun } from '../suite/variants.ts';
import { durationFlag, HELP_FLAG, parsedOrUsage, printUsage } from './flags.ts';
import { onStopRequests } from './stop-requests.ts';
import { InvalidSuites, loadSuites } from './suites.ts';
import { ExitCode, UsageError } from './usage.ts';

// After the runs, each suite's variants side by side: a table on the console, the rows as JSON beside
// the runs (DIR/SUITE.variants.json).
const reportVariants = async (
  suites: readonly SuiteRun[],
  results: readonly RunResult[],
  reports: ReadonlyMap<RunResult, Report>,
  out: string,
  json: boolean,
): Promise<void> => {
  const groups = new Map<string, VariantRow[]>();
  results.forEach((r, i) => {
    const v = suites[i]?.variant;
    if (v === undefined) return;
    const rows = groups.get(v.of) ?? [];
    rows.push(variantRow(v.name, r, reports.get(r)!));
    groups.set(v.of, rows);
  });
  for (const [suite, rows] of groups) {
    if (rows.length < 2) continue;
    await writeFile(
      join(out, `${suite}.variants.json`),
      `${JSON.stringify({ suite, variants: rows }, null, 2)}\n`,
    );
    if (!json) process.stdout.write(`${renderVariants(suite, rows)}\n`);
  }
};

export const RUN_USAGE = `usage: nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N] [--duration D] [--dry-run]

Runs each suite: starts its target, runs load and faults, checks, writes DIR/<suite>/ with
history.ndjson, report.json, junit.xml and report.html. Ctrl-C stops load, heals faults, stops the
target and still writes the reports, exit 3 (so do SIGTERM and SIGHUP); a second one forces.

  --out DIR    where runs are written (default runs)
  --json       print the reports as JSON on stdout instead of the summary
  --seed N     the seed for payloads and random choices (overrides the suite's)
  --duration D every load runs for D (a soak's length; constant models run D, a ramp keeps its shape)
  --dry-run    validate and print each run's plan (target, load and fault windows), start nothing

Before each run, journals of crashed runs are swept: faults they left open are healed.`;

export const runCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          out: { type: 'string', default: 'runs' },
          json: { type: 'boolean', default: false },
          seed: { type: 'string' },
          duration: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          ...HELP_FLAG,
        },
      }),
    RUN_USAGE,
  );
  if (values.help) return printUsage(RUN_USAGE);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed))
      throw new UsageError(`--seed: expected an integer, got ${JSON.stringify(values.seed)}`);
  }
  const durationMs = values.duration === undefined ? undefined : durationFlag('duration', values.duration, 0);
  let suites: SuiteRun[];
  try {
    suites = await loadSuites(positionals);
  } catch (e) {
    if (!(e instanceof InvalidSuites)) throw e;
    process.stderr.write(`${e.lines.join('\n')}\n`);
    return ExitCode.Usage;
  }
  // --duration: every load runs this long (a soak's length; a short pass over reproduction suites).
  if (durationMs !== undefined) {
    suites = suites.map((r) => ({
      ...r,
      suite: withLoadDuration(r.suite, durationMs),
      notes: [...(r.notes ?? []), `--duration ${values.duration}: every load runs ${values.duration}`],
    }));
  }

  if (values['dry-run']) {
    const plans = suites.map((s) => planOf(s, seed));
    process.stdout.write(
      values.json
        ? `${JSON.stringify(plans, null, 2)}\n`
        : `${plans.map(renderPlan).join('\n\n')}\n\ndry run: nothing was started\n`,
    );
    return ExitCode.Ok;
  }

  const abort = new AbortController();
  // SIGINT, SIGTERM or SIGHUP once (however many times one action delivers it): stop gracefully.
  const detach = onStopRequests({
    stop: (why) => {
      process.stderr.write(
        `\n${why}: stopping load, healing faults, stopping the target; reports will still be written (again to force)\n`,
      );
      abort.abort();
    },
    force: (why) => {
      process.stderr.write(`\n${why} again: exiting now; the watchdog stops what is left\n`);
      process.exit(ExitCode.Interrupted);
    },
  });
  try {
    return await runAll(suites, values.out, seed, values.json, abort.signal);
  } finally {
    detach();
  }
};

// Runs the suites one after another (until a stop request) and reports them; returns the exit code.
const runAll = async (
  suites: readonly SuiteRun[],
  out: string,
  seed: number | undefined,
  json: boolean,
  signal: AbortSignal,
): Promise<number> => {
  const results: RunResult[] = [];
  // Each run's report as writeReports built it, for --json and the variants table.
  const reports = new Map<RunResult, Report>();
  for (const loaded of suites) {
    if (signal.aborted) break;
    let detach: (() => void) | undefined;
    const r = await runSuite(loaded, {
      outDir: out,
      seed,
      signal,
      onHistory: (h) => (detach = attachProgress(h)),
      onSweep: (lines) => process.stderr.write(`${lines.join('\n')}\n`),
      writeReports: async (x) => {
        reports.set(x, await writeReports(x));
      },
    });
    detach?.();
    results.push(r);
    if (!json) process.stdout.write(`${renderSummary(r)}\n`);
  }
  if (json) {
    const printed = results.map((r) => reports.get(r));
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  }
  await reportVariants(suites, results, reports, out, json);
  const outcomes = new Set(results.map((r) => r.outcome));
  if (signal.aborted || outcomes.has('interrupted')) return ExitCode.Interrupted;
  if (outcomes.has('invalid')) return ExitCode.InvalidRun;
  if (outcomes.has('not-met')) return ExitCode.Failed;
  return ExitCode.Ok;
};
