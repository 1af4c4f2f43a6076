import { execa } from 'execa';
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { descendants, readAllStats } from '../../../harness/observe/proc.ts';
import { CLI, runCli } from '../../helpers/cli.ts';

const suite = (name: string) => `test/fixtures/suites/${name}.yaml`;

const report = async (out: string, name: string) =>
  JSON.parse(await readFile(join(out, name, 'report.json'), 'utf8')) as {
    outcome: { result: string; exitCode: number };
    verdicts: { check: string; status: string; summary: string }[];
    target: { pid?: number };
  };

const statusOf = (r: Awaited<ReturnType<typeof report>>, check: string) =>
  r.verdicts.find((v) => v.check === check)?.status;

// Processes still alive out of `pids` (each with its start time, so a reused pid is not mistaken).
type Known = { pid: number; starttime: number };
const stillAlive = async (known: readonly Known[]): Promise<number[]> => {
  const now = await readAllStats();
  return known
    .filter((k) => now.some((s) => s.pid === k.pid && s.starttime === k.starttime && s.state !== 'Z'))
    .map((k) => k.pid);
};

// Every process in the target's process group (the target runs in a group of its own).
const groupOf = async (pgid: number): Promise<Known[]> =>
  (await readAllStats())
    .filter((s) => s.pgrp === pgid && s.state !== 'Z')
    .map((s) => ({ pid: s.pid, starttime: s.starttime }));

// A run's processes: the harness's descendants (target group, watchdog) while it runs.
const harnessTree = async (harness: number): Promise<Known[]> =>
  descendants(harness, await readAllStats())
    .filter((s) => s.pid !== harness)
    .map((s) => ({ pid: s.pid, starttime: s.starttime }));

const waitGone = async (known: readonly Known[], ms: number): Promise<number[]> => {
  const end = Date.now() + ms;
  let left = await stillAlive(known);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = await stillAlive(known);
  }
  return left;
};

t.test(
  'a program that leaks sockets fails handles.noLeak; one that wedges on SIGHUP fails listener.responsive',
  async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    const r = await runCli(['run', suite('leaky-program'), suite('wedge-program'), '--out', out]);
    t.equal(r.exitCode, 1, String(r.stderr).slice(-2000));
    const leaky = await report(out, 'leaky-program');
    t.equal(statusOf(leaky, 'handles.noLeak'), 'fail');
    t.match(leaky.verdicts.find((v) => v.check === 'handles.noLeak')?.summary, /socket\(s\) in CLOSE_WAIT/);
    t.equal(statusOf(leaky, 'listener.responsive'), 'pass');
    const wedged = await report(out, 'wedge-program');
    t.equal(statusOf(wedged, 'listener.responsive'), 'fail');
    t.match(
      wedged.verdicts.find((v) => v.check === 'listener.responsive')?.summary,
      /never answered again after recycle by SIGHUP/,
    );
    t.equal(statusOf(wedged, 'handles.noLeak'), 'pass');
    for (const rep of [leaky, wedged])
      t.same(await groupOf(rep.target.pid!), [], 'the target left no process behind');
  },
);

t.test('a clean program passes both, run after run', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  for (let i = 0; i < 2; i++) {
    const r = await runCli(['run', suite('clean-program'), '--out', out]);
    t.equal(r.exitCode, 0, `run ${i + 1}: ${String(r.stdout)}`);
    const rep = await report(out, 'clean-program');
    t.same(
      rep.verdicts.map((v) => v.status),
      ['pass', 'pass', 'pass', 'pass', 'pass'],
    );
  }
  await access(join(out, 'clean-program', 'junit.xml'));
  await access(join(out, 'clean-program', 'history.ndjson'));
});

t.test('SIGINT stops load, stops the target, writes the reports and exits 3', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const child = execa(process.execPath, [CLI, 'run', suite('long-program'), '--out', out], { reject: false });
  // Interrupt once load is under way.
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes(' load ')) resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 1500));
  const tree = await harnessTree(child.pid!);
  t.ok(tree.length >= 2, 'the target and the watchdog are running');
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 3);
  t.match(String(r.stderr), /SIGINT: stopping load, healing faults, stopping the target/);
  const rep = await report(out, 'long-program');
  t.equal(rep.outcome.result, 'interrupted');
  t.equal(rep.outcome.exitCode, 3);
  await access(join(out, 'long-program', 'junit.xml'));
  t.same(await waitGone(tree, 5000), [], 'no process left behind');
});

t.test('SIGKILL of the harness leaves no process behind', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const child = execa(process.execPath, [CLI, 'run', suite('long-program'), '--out', out], { reject: false });
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes(' load ')) resolve();
    });
  });
  const tree = await harnessTree(child.pid!);
  t.ok(tree.length >= 2, 'the target and the watchdog are running');
  child.kill('SIGKILL');
  await child;
  t.same(await waitGone(tree, 8000), [], 'the watchdog took the target down');
});
