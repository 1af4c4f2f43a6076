// The last phase of a run: everything stopped, the run judged, its outcome recorded in the history (so
// `report DIR` renders it from the history alone), and the reports written.

import type { RunResult } from '../../model/result.ts';
import { targetKindOf } from '../suite/schema.ts';
import { phase, type RunContext, stopAll } from './context.ts';
import { judgeRun } from './judge.ts';

export const finishRun = async (
  ctx: RunContext,
  writeReports: (r: RunResult) => Promise<void>,
): Promise<RunResult> => {
  await stopAll(ctx);
  const { h, suite, invalid } = ctx;
  const { verdicts, judgement, outcome, exitCode, faults } = judgeRun(h.history, suite, {
    ...(invalid === undefined ? {} : { invalid }),
    interrupted: ctx.signal.aborted,
  });
  h.append({ t: h.now(), kind: 'outcome', outcome, exitCode, ...(invalid === undefined ? {} : { invalid }) });
  phase(ctx, 'done');
  await h.close();
  const t = ctx.target;
  const result: RunResult = {
    suite: suite.name,
    file: ctx.run.file,
    dir: ctx.dir,
    seed: ctx.seed,
    expect: suite.expect,
    outcome,
    exitCode,
    ...(invalid === undefined ? {} : { invalid }),
    judgement,
    verdicts,
    faults,
    target: {
      kind: targetKindOf(suite),
      ...(t === undefined ? {} : { pid: t.pid, host: t.host, port: t.port }),
    },
    durationMs: performance.now() - ctx.started,
    history: h.history,
  };
  await writeReports(result);
  return result;
};
