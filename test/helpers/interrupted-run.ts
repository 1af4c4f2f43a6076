// The signal tests a run must pass on every Node it can be started with: one stop request, from the
// terminal or sent to the first process alone, stops it gracefully; a second one forces it.

import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
import { groupMembers, jobProcesses, runUnderWay, stillAliveAfter, waitFor } from './process-group.ts';

// A long run whose target is paused from the start of load (so the stop has a fault to heal).
const PAUSED = { file: 'test/fixtures/suites/long-program-pause.yaml', name: 'long-program-pause' };
// A long run whose target takes 30s to stop (so a second signal lands while it stops).
const SLOW_STOP = 'test/fixtures/suites/slow-stop-program.yaml';

// Sends `signal` to the job's group (as a terminal does) or to its first process alone, and checks
// one graceful stop: every report, the fault healed, the journal gone, exit 3, no process left.
export const gracefulStop = async (
  t: Test,
  node: string,
  signal: NodeJS.Signals,
  to: 'group' | 'pid',
): Promise<void> => {
  const { job, out, state } = await runUnderWay(node, PAUSED.file, 1000);
  const tree = await jobProcesses(job);
  t.ok(tree.length >= 3, 'the harness, its target and the watchdog run');
  process.kill(to === 'group' ? -job.pgid : job.pgid, signal);
  const exit = await job.exited;
  const stderr = job.stderr();
  t.same(exit, { code: 3, signal: null }, stderr.slice(-2000));
  t.equal(stderr.match(/: stopping load, healing faults/g)?.length, 1, 'one graceful stop');
  t.match(stderr, new RegExp(`\\n${signal}: stopping load`), 'named by its signal');
  t.notMatch(stderr, /again: exiting now/, 'not forced');
  const dir = join(out, PAUSED.name);
  for (const f of ['history.ndjson', 'report.html', 'report.json', 'junit.xml']) await access(join(dir, f));
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
    outcome: unknown;
    faults: unknown;
  };
  t.match(report.outcome, { result: 'interrupted', exitCode: 3 });
  t.match(report.faults, [{ id: 'pause#0', injectedAt: Number, healedAt: Number }], 'the pause was healed');
  t.same(await readdir(join(state, 'journals')), [], 'the journal was closed and removed');
  t.same(await stillAliveAfter(tree, 5000), [], 'no process of the run is left');
  t.same(await groupMembers(job.pgid), [], 'nothing is left in the group');
};

// Ctrl-C, then Ctrl-C again while the run stops its target: it exits at once (exit 3) and the
// watchdog takes down what is left.
export const forcedStop = async (t: Test, node: string): Promise<void> => {
  const { job } = await runUnderWay(node, SLOW_STOP, 500);
  const tree = await jobProcesses(job);
  process.kill(-job.pgid, 'SIGINT');
  await waitFor(job.stderr, /\] stopping /, 20_000);
  // Well past the window in which a repeated signal counts as the same one.
  await new Promise((r) => setTimeout(r, 1000));
  process.kill(-job.pgid, 'SIGINT');
  const exit = await job.exited;
  const stderr = job.stderr();
  t.same(exit, { code: 3, signal: null }, stderr.slice(-2000));
  t.equal(stderr.match(/: stopping load/g)?.length, 1, 'one graceful stop');
  t.match(stderr, /SIGINT again: exiting now/);
  t.notMatch(stderr, /slow-stop-program: was interrupted/, 'it did not wait for the target to stop');
  t.same(await stillAliveAfter(tree, 10_000), [], 'the watchdog took down what the run left');
  t.same(await groupMembers(job.pgid), [], 'nothing is left in the group');
};
