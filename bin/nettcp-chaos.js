#!/usr/bin/env node
// Starts the nettcp-chaos command line. Plain JavaScript so any node can start it: the sources are
// TypeScript that Node 24 runs directly, so an older node hands over to the Node 24 the project
// pins in node_modules (the `node` devDependency) and passes its exit code and signals through.

import { spawn } from 'node:child_process';
import * as nodeModule from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../harness/cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

// Kept in step with harness/cli/stop-requests.ts (this file cannot import TypeScript).
const LAUNCHER_ENV = 'NETTCP_CHAOS_LAUNCHER';
const SIGNAL_MESSAGE = 'nettcp-chaos:signal';
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// Node's compile cache keeps the type-stripped, compiled sources between processes: a host worker, which
// a recycle starts anew, then loads in about a third of the CPU time (0.2 s instead of 0.6 s measured
// here). Children inherit it through the environment.
process.env['NODE_COMPILE_CACHE'] ??= fileURLToPath(
  new URL('../node_modules/.cache/nettcp-chaos-compile', import.meta.url),
);

// V8's young generation grows to 64 MB (two 32 MB semi-spaces) under load; the harness holds thousands
// of sessions whose garbage is short-lived, and 8 MB serves it as well: with 10,000 idle sessions the
// harness's RSS was 436 MB with V8's default and 292 MB with this, at as many sessions a second
// (bench/idle-sessions.ts, side by side). Node reads it only at start, so the process starts itself
// again with it (execve: same pid, so signals and parents see no difference) unless the caller chose a
// size of its own.
const V8_FLAGS = ['--max-semi-space-size=4'];
const chosen = (flag) => process.execArgv.some((a) => a.startsWith(flag.split('=')[0]));

if (major >= 24) {
  if (typeof process.execve === 'function' && !V8_FLAGS.every(chosen))
    process.execve(process.execPath, [
      process.execPath,
      ...V8_FLAGS.filter((f) => !chosen(f)),
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ]);
  nodeModule.enableCompileCache?.(process.env['NODE_COMPILE_CACHE']);
  await import(main);
} else {
  let pinned;
  try {
    pinned = nodeModule.createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    process.stderr.write(
      `nettcp-chaos needs Node 24 or later (this is ${process.version}); run npm ci to install it.\n`,
    );
    process.exit(2);
  }
  // The child shares our process group, so Ctrl-C or a closed terminal signals it directly as well as
  // us, while a signal sent to our pid alone (kill, systemd, CI) reaches only us. Neither process can
  // tell where a signal came from, so we do not signal the child: we tell it over an IPC channel what
  // we received, and it counts the two sources apart (one action, one stop; see stop-requests.ts).
  const child = spawn(pinned, [...V8_FLAGS, main, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [LAUNCHER_ENV]: String(process.pid) },
  });
  const forward = (signal) => {
    if (!child.connected) return;
    child.send({ type: SIGNAL_MESSAGE, signal }, (e) => {
      // The channel failed (the child is going away): fall back to the signal itself.
      if (e) child.kill(signal);
    });
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  child.on('error', (e) => {
    process.stderr.write(`nettcp-chaos: cannot start ${pinned}: ${e.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // Die the way the child died, so a shell sees the signal; our own handlers must not catch it.
    for (const s of STOP_SIGNALS) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    process.exit(128 + (constants.signals[signal] ?? 0));
  });
}
