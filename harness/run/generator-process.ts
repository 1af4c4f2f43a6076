// One load generator process: harness/load/generator-main.ts in its own process group, guarded by the
// watchdog (which kills the group if the harness dies), the generator protocol over its stdin and stdout.
// It exits by itself when its stdin closes; closing waits a grace for that, then kills the group.

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ExitInfo } from '../../model/process.ts';
import { HarnessError, HarnessErrorCode } from '../errors.ts';
import {
  decodeFromGenerator,
  encodeMessage,
  type FromGenerator,
  type ToGenerator,
} from '../load/generator-protocol.ts';
import { spawnNodeChild } from '../target/node-child.ts';
import type { Watchdog } from '../target/watchdog.ts';

const GENERATOR_MAIN = fileURLToPath(new URL('../load/generator-main.ts', import.meta.url));

const KEEP_LINES = 20;

// V8 flags of a generator process: its heap is mostly idle sessions, so the heap grows and collects for
// size (10,000 idle sessions took half the memory with it, measured side by side).
export const GENERATOR_NODE_FLAGS = ['--optimize-for-size'];

export type GeneratorProcess = {
  readonly index: number;
  readonly pid: number;
  send(m: ToGenerator): void;
  readonly exited: Promise<ExitInfo>;
  running(): boolean;
  // What it wrote that was not a message (stderr, stray stdout), the last lines.
  lastLines(): string[];
  // Closes its stdin (it stops and exits), waits up to graceMs, then kills its process group.
  close(graceMs: number): Promise<ExitInfo>;
};

export const spawnGenerator = (
  index: number,
  o: { watchdog: Watchdog; onMessage: (m: FromGenerator) => void; argv?: readonly string[] },
): GeneratorProcess => {
  // Its own process group: the watchdog and close() reach everything it started, and a Ctrl-C in the
  // terminal reaches only the harness, which stops load in order.
  const child: ChildProcess =
    o.argv === undefined
      ? spawnNodeChild(GENERATOR_MAIN, {
          flags: GENERATOR_NODE_FLAGS,
          detached: true,
          stdio: ['pipe', 'pipe', 'pipe'],
        })
      : spawn(o.argv[0]!, o.argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined)
    throw new HarnessError(HarnessErrorCode.Spawn, `could not start load generator ${index}`);
  const release = o.watchdog.guard({ action: 'kill-group', pgid: pid });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEEP_LINES) lines.shift();
  };
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    const m = decodeFromGenerator(line);
    if (m === undefined) keep(line);
    else o.onMessage(m);
  });
  createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', keep);
  // A generator that died leaves a broken pipe; its exit says what happened.
  child.stdin!.on('error', () => undefined);
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  };
  return {
    index,
    pid,
    exited,
    running: () => !done,
    lastLines: () => [...lines],
    send: (m) => {
      if (!done && child.stdin!.writable) child.stdin!.write(encodeMessage(m));
    },
    close: async (graceMs) => {
      child.stdin!.end();
      if (!done) {
        const timer = setTimeout(killGroup, graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything it started goes with it.
      killGroup();
      release();
      return exited;
    },
  };
};
