import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { readAllStats } from '../../../harness/observe/proc.ts';
import { spawnGuarded } from '../../../harness/target/spawned.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
};

const groupMembers = async (pgid: number): Promise<number[]> =>
  (await readAllStats()).filter((s) => s.pgrp === pgid && s.state !== 'Z').map((s) => s.pid);

t.test('SIGKILL of the harness still takes down every process it started', async (t) => {
  const parent = execa(
    process.execPath,
    [fileURLToPath(new URL('../../fixtures/guarded-parent.ts', import.meta.url))],
    {
      reject: false,
    },
  );
  const line = await new Promise<string>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(d.toString())),
  );
  const { pid, watchdog } = JSON.parse(line) as { pid: number; watchdog: number };
  t.ok((await groupMembers(pid)).length >= 2, 'the target and its child run in their own group');
  parent.kill('SIGKILL');
  await parent;
  t.ok(await waitFor(async () => (await groupMembers(pid)).length === 0, 5000), 'the whole group is gone');
  t.ok(await waitFor(() => !alive(watchdog), 5000), 'the watchdog exits after its work');
});

t.test('stop sends the signal, then kills the group after the grace period', async (t) => {
  const watchdog = await Watchdog.start();
  t.teardown(() => watchdog.close());
  // A program that ignores SIGTERM.
  const s = spawnGuarded(['sh', '-c', 'trap "" TERM; echo up; sleep 60'], { watchdog });
  await waitFor(() => s.lastLines().includes('up'), 2000);
  const start = Date.now();
  const exit = await s.stop('SIGTERM', 300);
  t.equal(exit.signal, 'SIGKILL');
  t.ok(Date.now() - start >= 250, 'waited for the grace period');
  t.same(await groupMembers(s.pid), []);
});

t.test('a released guard is not acted on', async (t) => {
  const watchdog = await Watchdog.start();
  const s = spawnGuarded(['sleep', '60'], { watchdog });
  await s.stop('SIGTERM', 1000);
  await watchdog.close();
  t.equal(s.running(), false);
});
