import { spawn } from 'node:child_process';
import t from 'tap';
import { TargetSampler } from '../../../harness/observe/target-sampler.ts';

t.test('a process’s command line is in the first reading that sees it, and only there', async (t) => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'an argument'], {
    stdio: 'ignore',
  });
  t.teardown(() => void child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const sampler = new TargetSampler(
    () => child.pid,
    (_pid, root) => (root ? 'root' : 'child'),
  );
  // Until exec has replaced the forked image, /proc may still show the parent's command line.
  let first = await sampler.sample();
  for (let i = 0; i < 50 && !(first[0]?.cmd ?? '').includes('setInterval'); i++) {
    await new Promise((r) => setTimeout(r, 20));
    first = await new TargetSampler(
      () => child.pid,
      () => 'root',
    ).sample();
  }
  t.equal(first[0]?.pid, child.pid);
  t.match(first[0]?.cmd, /-e 'setInterval\(\(\) => \{\}, 1000\)' 'an argument'$/);
  t.equal(first[0]?.comm.length !== 0, true);
  const again = await sampler.sample();
  t.equal(again[0]?.cmd, undefined, 'not repeated in later readings');
});
