// A finished (or killed) run rebuilt from its history.ndjson alone, for `report` and `compare`: the
// suite comes from the meta event, the verdicts from judging it again (judge.ts), the outcome from the
// outcome event the run loop wrote last. A history without one (the harness was killed) is an
// interrupted run, and renders with what it recorded.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { History } from '../../model/history.ts';
import { EXIT_CODES, outcomeOf, readyOf, type RunResult } from '../../model/result.ts';
import { timeline } from '../../model/timeline.ts';
import { HistoryReadError, readHistory } from '../history/read.ts';
import { formatProblem, loadSuiteText } from '../suite/load.ts';
import { type ParsedSuite, targetKindOf } from '../suite/schema.ts';
import { judgeRun } from './judge.ts';
import { RunDirError } from '../errors.ts';
export { RunDirError } from '../errors.ts';

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
  // The outcome as the run recorded it; a history without one (the harness was killed) was interrupted.
  const recorded = outcomeOf(history);
  const invalid = recorded?.invalid;
  const judged = judgeRun(history, suite, {
    ...(invalid === undefined ? {} : { invalid }),
    interrupted: recorded === undefined || recorded.outcome === 'interrupted',
  });
  const ready = readyOf(history);
  const result: RunResult = {
    suite: meta.suite,
    file: meta.file,
    dir,
    seed: meta.seed,
    expect: suite.expect,
    outcome: recorded?.outcome ?? 'interrupted',
    exitCode: recorded?.exitCode ?? EXIT_CODES.interrupted,
    ...(invalid === undefined ? {} : { invalid }),
    judgement: judged.judgement,
    verdicts: judged.verdicts,
    faults: judged.faults,
    target: {
      kind: targetKindOf(suite),
      ...(ready?.pid === undefined ? {} : { pid: ready.pid }),
      ...(ready?.host === undefined ? {} : { host: ready.host }),
      ...(ready?.port === undefined ? {} : { port: ready.port }),
    },
    durationMs: recorded?.t ?? timeline(history).end,
    history,
  };
  return { result, suite };
};
