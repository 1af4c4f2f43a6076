// A load generator as a process: the generator protocol on stdin and stdout, diagnostics on stderr. The
// harness starts one per execution segment (harness/run/generators.ts); it exits when its stdin closes,
// so it never outlives the harness (and the watchdog kills its process group if the harness is killed).

import { serveGenerator } from './generator.ts';

try {
  await serveGenerator(process.stdin, process.stdout);
} catch (e) {
  process.stderr.write(`generator failed: ${String((e as Error).stack ?? e)}\n`);
  process.exitCode = 1;
}
// Nothing is left to do; sockets and timers that linger must not keep a stopped generator alive.
process.stdout.end(() => process.exit());
