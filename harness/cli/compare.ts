// `nettcp-chaos compare DIR_A DIR_B [--json] [--latency-tolerance PCT]`: run B (the candidate) beside
// run A (the baseline), each rebuilt from its history. Exit 0 when B is nowhere worse than A beyond
// noise, 1 when it regresses, 2 on bad usage or a folder that is not a run.

import { allowance } from '../checks/index.ts';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CompareSide,
  compareRuns,
  compareSide,
  DEFAULT_COMPARE_OPTIONS,
} from '../../reports/compare.ts';
import {
  COMPARE_SCHEMA,
  COMPARE_VERSION,
  type CompareDocument,
  renderCompareText,
} from '../../reports/compare-text.ts';
import { rebuildRun, RunDirError, runDirs } from '../run/rebuild.ts';
import { HELP_FLAG, parsedOrUsage, printUsage } from './flags.ts';
import { ExitCode, shown, UsageError } from './usage.ts';

// compare --help.
export const COMPARE_USAGE = `usage: nettcp-chaos compare DIR_A DIR_B [--json] [--latency-tolerance PCT]

Sets run B (the candidate) beside run A (the baseline): each check's status, session latency
percentiles per load (corrected), error rates with their breakdown, fds per process role (peak,
and what was left after settle) and the listener's longest probe gap; says which run is better on
each and flags regressions. DIR_A and DIR_B are run folders (runs/<suite>/<time>, runs/<suite>/latest,
or OUT/<suite> with --out), or folders of several runs, paired by suite folder name. Each run is
rebuilt from its history.ndjson.

  --json                   print one JSON document (schema nettcp-chaos/compare) instead of text
  --latency-tolerance PCT  how much slower B's p50/p90/p99 may be before it counts as worse
                           (default 20; differences under 2ms, or within what the
                           session counts explain, never count)

Exit 0 when B regresses nowhere, 1 when it does, 2 on bad usage or a folder that is not a run.`;

const side = async (dir: string): Promise<CompareSide> => {
  const { result, suite } = await rebuildRun(dir);
  return compareSide(dir, result, {
    probeIntervalMs: suite.probe.interval,
    fdTolerance: allowance(suite.checks, 'fds') ?? 2,
  });
};

const percentFlag = (v: string | undefined): number => {
  if (v === undefined) return DEFAULT_COMPARE_OPTIONS.latencyTolerance;
  const n = Number(v.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(
      `--latency-tolerance: expected a percentage of 0 or more (20 or 20%), got ${shown(v)}`,
    );
  return n / 100;
};

// Runs the command; returns the exit code.
export const compareCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          'latency-tolerance': { type: 'string' },
          ...HELP_FLAG,
        },
      }),
    COMPARE_USAGE,
  );
  if (values.help) return printUsage(COMPARE_USAGE);
  if (positionals.length !== 2)
    throw new UsageError(`expected two run folders, got ${positionals.length}\n\n${COMPARE_USAGE}`);
  const latencyTolerance = percentFlag(values['latency-tolerance']);
  const [dirA, dirB] = positionals as [string, string];
  let doc: CompareDocument;
  try {
    const [runsA, runsB] = [await runDirs(dirA), await runDirs(dirB)];
    // Two single runs are compared whatever their names; folders of runs pair by suite folder.
    const pairs: [string, string][] =
      runsA.length === 1 && runsB.length === 1
        ? [[runsA[0]!, runsB[0]!]]
        : runsA.flatMap((a) =>
            runsB.filter((b) => basename(b) === basename(a)).map((b): [string, string] => [a, b]),
          );
    if (pairs.length === 0)
      throw new RunDirError(`${dirA} and ${dirB} hold no run of the same suite to compare`);
    const comparisons = [];
    for (const [a, b] of pairs)
      comparisons.push(compareRuns(await side(a), await side(b), { latencyTolerance }));
    const paired = new Set(pairs.flat());
    const regressions = comparisons.reduce((n, c) => n + c.regressions, 0);
    doc = {
      schema: COMPARE_SCHEMA,
      version: COMPARE_VERSION,
      comparisons,
      onlyInA: runsA.filter((d) => !paired.has(d)).map((d) => basename(d)),
      onlyInB: runsB.filter((d) => !paired.has(d)).map((d) => basename(d)),
      regressions,
      exitCode: regressions > 0 ? ExitCode.Failed : ExitCode.Ok,
    };
  } catch (e) {
    if (!(e instanceof RunDirError)) throw e;
    process.stderr.write(`nettcp-chaos compare: ${e.message}\n`);
    return ExitCode.Usage;
  }
  process.stdout.write(values.json ? `${JSON.stringify(doc, null, 2)}\n` : renderCompareText(doc));
  return doc.exitCode;
};
