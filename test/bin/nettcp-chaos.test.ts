import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { forcedStop, gracefulStop } from '../helpers/interrupted-run.ts';
import {
  jobProcesses,
  runUnderWay,
  startJob,
  stillAliveAfter,
  SYSTEM_NODE,
} from '../helpers/process-group.ts';

// The launcher on the machine's own (older) Node hands over to the pinned one; these are its cases.
if (SYSTEM_NODE === undefined) {
  t.comment('no Node at /usr/bin/node or /usr/local/bin/node: the launcher runs the pinned Node itself');
} else {
  const node = SYSTEM_NODE;
  const cases: [NodeJS.Signals, 'group' | 'pid'][] = [
    ['SIGINT', 'group'],
    ['SIGHUP', 'group'],
    ['SIGTERM', 'pid'],
  ];
  for (const [signal, to] of cases) {
    const how = to === 'group' ? 'to the process group (as a terminal does)' : 'to the launcher alone';
    t.test(`through the launcher on ${node}, one ${signal} ${how} stops the run gracefully once`, (t) =>
      gracefulStop(t, node, signal, to),
    );
  }
  t.test(`through the launcher on ${node}, a second Ctrl-C exits at once`, (t) => forcedStop(t, node));

  t.test(
    `through the launcher on ${node}, a launcher killed with SIGKILL stops the run gracefully`,
    async (t) => {
      const { job, out, state } = await runUnderWay(
        node,
        'test/fixtures/suites/long-program-pause.yaml',
        1000,
      );
      const tree = await jobProcesses(job);
      process.kill(job.pgid, 'SIGKILL');
      t.same(await stillAliveAfter(tree, 30_000), [], 'the run ended and left no process');
      const dir = join(out, 'long-program-pause');
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { outcome: unknown };
      t.match(report.outcome, { result: 'interrupted', exitCode: 3 });
      await access(join(dir, 'report.html'));
      await access(join(dir, 'junit.xml'));
      t.same(await readdir(join(state, 'journals')), [], 'the journal was closed and removed');
    },
  );

  t.test('the launcher passes the exit code through and --version names the pinned Node', async (t) => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const job = startJob(node, ['--version']);
    t.same(await job.exited, { code: 0, signal: null });
    t.equal(
      job.stdout(),
      `nettcp-chaos ${version} (Node ${process.version}, ${process.platform}-${process.arch})\n`,
    );
    const bad = startJob(node, ['no-such-command']);
    t.same(await bad.exited, { code: 2, signal: null });
  });
}
