import t from 'tap';
import { readAllStats } from '../../../harness/observe/proc.ts';
import { spawnGenerator } from '../../../harness/run/generator-process.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';
import type { FromGenerator } from '../../../harness/load/generator-protocol.ts';

const groupLeft = async (pgid: number): Promise<number[]> =>
  (await readAllStats()).filter((s) => s.pgrp === pgid && s.state !== 'Z').map((s) => s.pid);

t.test(
  'closing a generator that ignores its stdin kills its whole process group after the grace',
  async (t) => {
    const watchdog = await Watchdog.start();
    t.teardown(() => watchdog.close());
    // A stubborn generator that says hello, starts a child, and never reads its stdin.
    const script = `
    const { spawn } = require('node:child_process');
    spawn('sleep', ['60'], { stdio: 'ignore' });
    console.log(JSON.stringify({ type: 'hello', protocol: 1, pid: process.pid, node: process.version }));
    console.log('not a message');
    process.stdin.pause();
    setInterval(() => {}, 1000);`;
    const got: FromGenerator[] = [];
    const g = spawnGenerator(0, {
      watchdog,
      onMessage: (m) => got.push(m),
      argv: [process.execPath, '-e', script],
    });
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    t.match(got, [{ type: 'hello', pid: g.pid }]);
    t.ok((await groupLeft(g.pid)).length >= 2, 'it and its child share its group');
    t.same(g.lastLines(), ['not a message'], 'what is not a message is kept as its output');
    const exit = await g.close(300);
    t.equal(exit.signal, 'SIGKILL');
    t.same(await groupLeft(g.pid), [], 'nothing of its group is left');
    t.notOk(g.running());
  },
);
