import { execa } from 'execa';
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readAllStats } from '../../../harness/observe/proc.ts';
import { CLI, runCli } from '../../helpers/cli.ts';

const suite = (name: string) => `test/fixtures/suites/${name}.yaml`;

const report = async (out: string, name: string) =>
  JSON.parse(await readFile(join(out, name, 'report.json'), 'utf8')) as {
    outcome: { result: string; exitCode: number };
    verdicts: { check: string; status: string; summary: string }[];
  };

const statusOf = (r: Awaited<ReturnType<typeof report>>, check: string) =>
  r.verdicts.find((v) => v.check === check)?.status;

// Our processes still alive: fixture programs and watchdogs started by these tests.
const programPids = async (): Promise<number[]> => {
  const pids: number[] = [];
  for (const s of await readAllStats()) {
    if (s.state === 'Z') continue;
    const cmd = await readFile(`/proc/${s.pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('test/fixtures/programs/') || cmd.includes('watchdog-main.ts')) pids.push(s.pid);
  }
  return pids;
};

const waitNone = async (ms: number): Promise<number[]> => {
  const end = Date.now() + ms;
  let left = await programPids();
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = await programPids();
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
    t.same(await waitNone(3000), [], 'no process left behind');
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
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 3);
  t.match(String(r.stderr), /SIGINT: stopping load, healing faults, stopping the target/);
  const rep = await report(out, 'long-program');
  t.equal(rep.outcome.result, 'interrupted');
  t.equal(rep.outcome.exitCode, 3);
  await access(join(out, 'long-program', 'junit.xml'));
  t.same(await waitNone(5000), [], 'no process left behind');
});

t.test('SIGKILL of the harness leaves no process behind', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const child = execa(process.execPath, [CLI, 'run', suite('long-program'), '--out', out], { reject: false });
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes(' load ')) resolve();
    });
  });
  t.ok((await programPids()).length >= 2, 'the target and the watchdog are running');
  child.kill('SIGKILL');
  await child;
  t.same(await waitNone(8000), [], 'the watchdog took the target down');
});
