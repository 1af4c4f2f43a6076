import { execa } from 'execa';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { CLI, runCli } from '../../helpers/cli.ts';
import {
  groupMembers,
  jobProcesses,
  PINNED_NODE,
  startJob,
  stillAliveAfter,
  SYSTEM_NODE,
  waitFor,
} from '../../helpers/process-group.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test('host runs a YAML configuration in the foreground and stops cleanly on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const config = join(dir, 'host.yaml');
  await writeFile(config, 'services:\n  - path: /orders\n    activation: { mode: startup }\n');
  const child = execa(process.execPath, [CLI, 'host', '--config', config], { reject: false });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<{ port: number; pid: number }>((resolve) =>
    lines.on('line', (l) => {
      const e = JSON.parse(l) as { event: string; port: number; pid: number };
      if (e.event === 'ready') resolve(e);
    }),
  );
  const probe = await runCli(['probe', `net.tcp://127.0.0.1:${ready.port}/orders`]);
  t.equal(probe.exitCode, 0, String(probe.stdout));
  child.kill('SIGTERM');
  const r = await child;
  t.equal(r.exitCode, 0);
  t.match(String(r.stderr), /host listening on net\.tcp:\/\/127\.0\.0\.1:\d+ \(\/orders\)/);
  t.notOk(alive(ready.pid), 'the host process is gone');
});

t.test('a bad host configuration is reported like a suite problem, exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const config = join(dir, 'host.yaml');
  await writeFile(
    config,
    'services:\n  - path: orders\n    throttle: { maxConcurrentCals: 4 }\ndefects: [leaky]\n',
  );
  const r = await runCli(['host', '--config', config]);
  t.equal(r.exitCode, 2);
  const err = String(r.stderr);
  t.match(
    err,
    /host\.yaml:2:11 services\[0\]\.path: expected a path starting with \/ \(for example \/orders\), got "orders" \(string\)/,
  );
  t.match(
    err,
    /host\.yaml:3:17 services\[0\]\.throttle\.maxConcurrentCals: unknown field; did you mean "maxConcurrentCalls"\?/,
  );
  t.match(
    err,
    /host\.yaml:4:\d+ defects\[0\]: expected one of "overlapped-recycle-race", "leak-on-dispatch-timeout", "serial-extensions", got "leaky" \(string\)/,
  );
  t.match(
    (await runCli(['host', '--config', join(dir, 'missing.yaml')])).stderr,
    /cannot read the host configuration: no such file/,
  );
});

const hostNodes = [
  ...(SYSTEM_NODE === undefined
    ? []
    : [{ node: SYSTEM_NODE, via: `through the launcher on ${SYSTEM_NODE}` }]),
  { node: PINNED_NODE, via: 'on the pinned Node' },
];
for (const { node, via } of hostNodes) {
  for (const [signal, to] of [
    ['SIGINT', 'group'],
    ['SIGHUP', 'group'],
    ['SIGTERM', 'pid'],
  ] as const) {
    const how = to === 'group' ? 'to the process group (as a terminal does)' : 'to the first process alone';
    t.test(`host ${via}: one ${signal} ${how} stops it once: its stopped event, exit 0`, async (t) => {
      const job = startJob(node, ['host']);
      await waitFor(job.stdout, /"event":"worker-activated"/, 30_000);
      const tree = await jobProcesses(job);
      t.ok(tree.length >= 3, 'the command, the host and its worker run');
      process.kill(to === 'group' ? -job.pgid : job.pgid, signal);
      t.same(await job.exited, { code: 0, signal: null }, job.stderr());
      const events = job
        .stdout()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: string }).event);
      t.same(
        events.filter((e) => e === 'stopped'),
        ['stopped'],
        'one stopped event',
      );
      t.equal(events.at(-1), 'stopped', 'the last event');
      t.notMatch(job.stderr(), /error/i);
      t.same(await stillAliveAfter(tree, 5000), [], 'the host and its workers are gone');
      t.same(await groupMembers(job.pgid), [], 'nothing is left in the group');
    });
  }
}
