// The reference host as a process: `node host/main.ts [CONFIG.json] [--port N] [--exit-with-stdin]`, or
// with the config as JSON in NETTCP_CHAOS_HOST_CONFIG. This process is the sharing listener; its workers
// are its children. stdout carries one JSON event per line, `ready` first; SIGINT or SIGTERM stops the
// host and its workers, prints `stopped` and exits 0 (so does the end of stdin with --exit-with-stdin:
// a parent holding the other end of a pipe takes the host down with it, however it dies).
// Exit 2: a bad configuration; 1: the host did not start.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONFIG_ENV, resolveHostConfig } from './config-input.ts';
import { HostError, HostErrorCode, isHostError } from './errors.ts';
import type { HostEvent } from './events.ts';
import { startHost } from './host.ts';

const write = (e: Record<string, unknown>): void => {
  if (!process.stdout.destroyed) process.stdout.write(`${JSON.stringify(e)}\n`);
};

const fail = (code: number, e: unknown): never => {
  const message = e instanceof Error ? e.message : String(e);
  const errorCode = isHostError(e) ? e.code : HostErrorCode.Internal;
  write({ t: Date.now(), event: 'error', code: errorCode, message });
  process.stderr.write(`nettcp-chaos host: ${message}\n`);
  process.exit(code);
};

type Input = { config: ReturnType<typeof resolveHostConfig>; port: number | undefined; withStdin: boolean };

const readConfig = (): Input => {
  const { values, positionals } = parseArgs({
    options: { port: { type: 'string' }, 'exit-with-stdin': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const file = positionals[0];
  const text = file !== undefined ? readFileSync(file, 'utf8') : process.env[CONFIG_ENV];
  if (text === undefined)
    throw new HostError(HostErrorCode.Usage, `give a JSON configuration file, or the JSON in ${CONFIG_ENV}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new HostError(
      HostErrorCode.Usage,
      `--port: expected a port from 0 to 65535, got ${JSON.stringify(values.port)}`,
    );
  }
  return {
    config: resolveHostConfig(JSON.parse(text) as unknown),
    port,
    withStdin: values['exit-with-stdin'],
  };
};

let input: Input;
try {
  input = readConfig();
} catch (e) {
  fail(2, e);
}

// Events before `ready` (workers of startup services) wait, so that `ready` is the first line.
let early: HostEvent[] | undefined = [];
const onEvent = (e: HostEvent): void => {
  if (early !== undefined) early.push(e);
  else write(e);
};

let stopping = false;
const stop = (signal: string): void => {
  // A second signal while stopping: stop now.
  if (stopping) process.exit(1);
  stopping = true;
  void host.close().then(() => {
    write({ t: Date.now(), event: 'stopped', signal });
    process.exit(0);
  });
};

const host = await startHost(input!.config, { port: input!.port, onEvent }).catch((e: unknown) => fail(1, e));
write({ t: Date.now(), event: 'ready', port: host.port, control: host.control, pid: process.pid });
for (const e of early) write(e);
early = undefined;
// Whoever read the events is gone (EPIPE): nobody follows this host any more.
process.stdout.on('error', () => stop('stdout'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
if (input!.withStdin) {
  process.stdin.on('end', () => stop('stdin'));
  process.stdin.on('error', () => stop('stdin'));
  process.stdin.resume();
}
