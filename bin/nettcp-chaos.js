#!/usr/bin/env node
// Starts the nettcp-chaos command line. Plain JavaScript so any node can start it: the sources are
// TypeScript that Node 24 runs directly, so an older node hands over to the Node 24 the project
// pins in node_modules (the `node` devDependency) and passes its exit code and signals through.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../harness/cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

if (major >= 24) {
  await import(main);
} else {
  let pinned;
  try {
    pinned = createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    process.stderr.write(
      `nettcp-chaos needs Node 24 or later (this is ${process.version}); run npm ci to install it.\n`,
    );
    process.exit(2);
  }
  const child = spawn(pinned, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
