// A finished (or killed) run rebuilt from its history.ndjson alone, for `report` and `compare`: the
// suite comes from the meta event, the verdicts from running the checks again, the outcome from the
// last harness log event the run loop wrote. A history without that event (the harness was killed)
// is an interrupted run, and renders with what it recorded.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { judge } from '../harness/checks/expect.ts';
import { runChecks } from '../harness/checks/index.ts';
import type { History, LogEvent } from '../harness/history/events.ts';
import { HistoryReadError, readHistory } from '../harness/history/read.ts';
import { EXIT_CODES, type RunOutcome, type RunResult } from '../harness/run/result.ts';
import { formatProblem, loadSuiteText } from '../harness/suite/load.ts';
import type { ParsedSuite } from '../harness/suite/schema.ts';

// A folder that is not a run, or a history that cannot be read; the message says which and why.
export class RunDirError extends Error {
  override name = 'RunDirError';
}

// The file a run folder is recognised by.
export const HISTORY_FILE = 'history.ndjson';

const isFile = async (p: string): Promise<boolean> =>
  (await stat(p).catch(() => undefined))?.isFile() ?? false;

// The run folders under `dir`: `dir` itself when it holds a history, else each sub-folder that does
// (an --out folder of several suites), sorted by name.
export const runDirs = async (dir: string): Promise<string[]> => {
  const s = await stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (s instanceof Error)
    throw new RunDirError(`${dir}: ${s.code === 'ENOENT' ? 'no such folder' : s.message}`);
  if (!s.isDirectory())
    throw new RunDirError(`${dir}: not a folder; expected a run folder holding ${HISTORY_FILE}`);
  if (await isFile(join(dir, HISTORY_FILE))) return [dir];
  const subs = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const runs: string[] = [];
  for (const name of subs.sort()) if (await isFile(join(dir, name, HISTORY_FILE))) runs.push(join(dir, name));
  if (runs.length === 0)
    throw new RunDirError(
      `${dir}: no ${HISTORY_FILE} in it or in its sub-folders; expected a run folder written by nettcp-chaos run (OUT/<suite>/)`,
    );
  return runs;
};

const OUTCOMES: readonly RunOutcome[] = ['met', 'not-met', 'interrupted', 'invalid'];

// The outcome the run loop recorded as its last harness log event, if it got that far.
export const recordedOutcome = (
  h: History,
): { t: number; outcome: RunOutcome; exitCode: number; invalidReason?: string } | undefined => {
  const e = h.events.findLast(
    (e): e is LogEvent =>
      e.kind === 'log' &&
      e.source === 'harness' &&
      OUTCOMES.includes(e.data?.['outcome'] as RunOutcome) &&
      typeof e.data?.['exitCode'] === 'number',
  );
  if (e === undefined) return undefined;
  const why = e.data!['invalidReason'];
  return {
    t: e.t,
    outcome: e.data!['outcome'] as RunOutcome,
    exitCode: e.data!['exitCode'] as number,
    ...(typeof why === 'string' ? { invalidReason: why } : {}),
  };
};

// What the run loop logged when the target answered its first probe.
const readyData = (h: History): { pid?: number; host?: string; port?: number } => {
  const e = h.events.find(
    (e): e is LogEvent => e.kind === 'log' && e.source === 'harness' && e.message.startsWith('target ready'),
  );
  const d = e?.data ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const pid = num(d['pid']);
  const port = num(d['port']);
  const host = typeof d['host'] === 'string' ? d['host'] : undefined;
  return {
    ...(pid === undefined ? {} : { pid }),
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
  };
};

// A rebuilt run: its result as the run loop would have made it, and the suite as it was validated.
export type RebuiltRun = { result: RunResult; suite: ParsedSuite };

// Reads a run folder's history and rebuilds its result.
export const rebuildRun = async (dir: string): Promise<RebuiltRun> => {
  const file = join(dir, HISTORY_FILE);
  if (!(await isFile(file))) throw new RunDirError(`${dir}: no ${HISTORY_FILE}; not a run folder`);
  let history: History;
  try {
    history = await readHistory(file);
  } catch (e) {
    if (e instanceof HistoryReadError) throw new RunDirError(e.message);
    throw new RunDirError(`${file}: cannot read it: ${(e as Error).message}`);
  }
  const { meta } = history;
  const loaded = loadSuiteText(meta.text, meta.file);
  if (!loaded.ok) {
    throw new RunDirError(
      `${file}: the suite recorded in it does not validate with this version of nettcp-chaos:\n` +
        loaded.problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
  }
  const { suite } = loaded.loaded;
  const recorded = recordedOutcome(history);
  const reachedLoad = history.events.some((e) => e.kind === 'phase' && e.phase === 'load');
  // As the run loop does: a run that never reached load has nothing to judge.
  const verdicts =
    recorded?.invalidReason === undefined || reachedLoad ? runChecks(history, suite.checks) : [];
  const end = history.events.reduce((m, e) => Math.max(m, e.t), 0);
  const result: RunResult = {
    suite: meta.suite,
    file: meta.file,
    dir,
    seed: meta.seed,
    expect: suite.expect,
    outcome: recorded?.outcome ?? 'interrupted',
    exitCode: recorded?.exitCode ?? EXIT_CODES.interrupted,
    ...(recorded?.invalidReason === undefined ? {} : { invalidReason: recorded.invalidReason }),
    judgement: judge(verdicts, suite.expect),
    verdicts,
    target: { kind: suite.target.host !== undefined ? 'host' : 'command', ...readyData(history) },
    durationMs: recorded?.t ?? end,
    history,
  };
  return { result, suite };
};
