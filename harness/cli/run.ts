// `nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N] [--duration D] [--generators N|auto] [--set P=V]...
// [--dry-run]`: runs suites one
// after another, each in a folder of its own (run-folders.ts), and exits 0 when each met its
// expectation, 1 when one did not, 3 when interrupted, 4 when a run was invalid. --dry-run prints each
// run's resolved plan and starts nothing.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSummary } from '../../reports/console.ts';
import type { Report } from '../../reports/json.ts';
import { renderVariants, variantRow } from '../../reports/variants.ts';
import { writeReports } from '../../reports/write.ts';
import type { RunResult } from '../../model/result.ts';
import { runSuite } from '../run/run-suite.ts';
import { planOf, renderPlan } from './dry-run.ts';
import { attachProgress } from './progress.ts';
import { claimFolder, DEFAULT_RUNS, folderGroups, pointLatest, runStamp } from './run-folders.ts';
import { withLoadDuration } from '../suite/fault-schedule.ts';
import type { SuiteRun } from '../suite/variants.ts';
import { durationFlag, generatorsFlag, HELP_FLAG, parsedOrUsage, printUsage } from './flags.ts';
import { onStopRequests } from './stop-requests.ts';
import { InvalidSuites, loadSuites } from './suites.ts';
import { ExitCode, UsageError } from './usage.ts';

// After a suite file's runs, its variants side by side: a table on the console, the rows as JSON
// beside the runs (OUT/SUITE.variants.json).
const reportVariants = async (
  runs: readonly SuiteRun[],
  results: readonly RunResult[],
  reports: ReadonlyMap<RunResult, Report>,
  out: string,
  json: boolean,
): Promise<void> => {
  const suite = runs[0]?.variant?.of;
  if (suite === undefined || results.length < 2) return;
  const rows = results.map((r, i) => variantRow(runs[i]!.variant!.name, r, reports.get(r)!));
  await writeFile(
    join(out, `${suite}.variants.json`),
    `${JSON.stringify({ suite, variants: rows }, null, 2)}\n`,
  );
  if (!json) process.stdout.write(`${renderVariants(suite, rows)}\n`);
};

export const RUN_USAGE = `usage: nettcp-chaos run SUITE... [--out DIR] [--json] [--seed N] [--duration D]
                        [--generators N|auto] [--set PATH=VALUE]... [--dry-run]

Runs each suite: starts its target, runs load and faults, checks, and writes history.ndjson,
report.json, junit.xml and report.html to runs/<suite>/<time>/ (runs/<suite>/latest points at the
newest), or to DIR/<suite>/ with --out. Ctrl-C stops load, heals faults, stops the target and still
writes the reports, exit 3 (so do SIGTERM and SIGHUP); a second one forces.

  --out DIR    write each run to DIR/<suite>/ (replacing the run there) instead of a new folder
  --json       print the reports as JSON on stdout instead of the summary
  --seed N     the seed for payloads and random choices (overrides the suite's)
  --duration D every load runs for D (a soak's length; constant models run D, a ramp keeps its shape)
  --generators N|auto
               run the load in N generator processes, each an execution segment of every load
               (auto: the cores the target does not need); overrides the suite's generators
  --set PATH=VALUE
               set a field of every run, as a variant's set does: a dotted path (load.0.rate=300,
               checks.listener.responsive.maxGap=2s), the value read as YAML; repeat for more
  --dry-run    validate and print each run's plan (target, load and fault windows), start nothing

Suites may use environment variables: \${NAME}, or \${NAME:-default} when NAME is unset or empty.

Before each run, journals of crashed runs are swept: faults they left open are healed.`;

export const runCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          out: { type: 'string' },
          json: { type: 'boolean', default: false },
          seed: { type: 'string' },
          duration: { type: 'string' },
          generators: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          set: { type: 'string', multiple: true, default: [] },
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
  const generators = values.generators === undefined ? undefined : generatorsFlag(values.generators);
  let suites: SuiteRun[];
  try {
    suites = await loadSuites(positionals, { env: process.env, sets: values.set });
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

  if (generators !== undefined) suites = suites.map((r) => ({ ...r, suite: { ...r.suite, generators } }));

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
    return await runAll(suites, { out: values.out, seed, json: values.json, signal: abort.signal });
  } finally {
    detach();
  }
};

// Runs the suites one after another (until a stop request) and reports them; returns the exit code.
const runAll = async (
  suites: readonly SuiteRun[],
  o: { out: string | undefined; seed: number | undefined; json: boolean; signal: AbortSignal },
): Promise<number> => {
  const results: RunResult[] = [];
  // Each run's report as writeReports built it, for --json and the variants table.
  const reports = new Map<RunResult, Report>();
  const stamp = runStamp(new Date());
  for (const group of folderGroups(suites)) {
    if (o.signal.aborted) break;
    // Without --out, the suite file's runs get a folder of their own: runs/SUITE/TIME/.
    const own = o.out === undefined ? await claimFolder(join(DEFAULT_RUNS, group.name), stamp) : undefined;
    const out = own ?? o.out!;
    const done: RunResult[] = [];
    for (const loaded of group.runs) {
      if (o.signal.aborted) break;
      let detach: (() => void) | undefined;
      const r = await runSuite(loaded, {
        outDir: out,
        // A suite alone writes straight into its own folder; variants write SUITE.VARIANT/ in it.
        ...(own !== undefined && loaded.variant === undefined ? { dir: own } : {}),
        seed: o.seed,
        signal: o.signal,
        // Progress shows what the sweep healed, as every harness warning, from the history.
        onHistory: (h) => (detach = attachProgress(h)),
        writeReports: async (x) => {
          reports.set(x, await writeReports(x));
        },
      });
      detach?.();
      done.push(r);
      if (!o.json) process.stdout.write(`${renderSummary(r)}\n`);
    }
    results.push(...done);
    await reportVariants(group.runs, done, reports, out, o.json);
    if (own !== undefined) await pointLatest(join(DEFAULT_RUNS, group.name), own);
  }
  if (o.json) {
    const printed = results.map((r) => reports.get(r));
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  }
  const outcomes = new Set(results.map((r) => r.outcome));
  if (o.signal.aborted || outcomes.has('interrupted')) return ExitCode.Interrupted;
  if (outcomes.has('invalid')) return ExitCode.InvalidRun;
  if (outcomes.has('not-met')) return ExitCode.Failed;
  return ExitCode.Ok;
};
