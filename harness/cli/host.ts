// `nettcp-chaos host [--config FILE] [--port N]`: the reference host in the foreground. The YAML is the
// shape of a suite's target.host and is validated the same way; the host prints its events as JSON
// lines on stdout and stops cleanly on SIGINT, SIGTERM or SIGHUP (its `stopped` event, exit 0); a second
// one makes it exit at once (exit 1).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hostBlockProblems, hostSchema } from '../suite/host-schema.ts';
import { formatProblem, readYamlFile, validateYaml } from '../suite/load.ts';
import { HELP_FLAG, intFlag, parsedOrUsage, printUsage } from './flags.ts';
import { onStopRequests } from './stop-requests.ts';
import { ExitCode, UsageError } from './usage.ts';

const HOST_MAIN = fileURLToPath(new URL('../../host/main.ts', import.meta.url));

export const HOST_USAGE = `usage: nettcp-chaos host [--config FILE] [--port N]

Runs the reference port-sharing host in the foreground. FILE is YAML shaped like a suite's
target.host (listen, sharing, services, defects); without it, one service at /echo starts with
the host. --port overrides the listen port. Events are printed as JSON lines on stdout.

Each service's worker answers as a WCF service on NetTcpBinding (binary session, SOAP 1.2 and
WS-Addressing 1.0): contract IInteropService in http://tempuri.org/ with Echo(text), Delay(ms),
Burn(ms) and Fault(reason), so a WCF client calls net.tcp://127.0.0.1:PORT/PATH as it would a
self-hosted service. Sessions opened with the content type application/x-nettcp-chaos-ops speak
the compact op framing instead (raw-rate benches). host/README.md has the details, for example:

  services:
    - path: /svc
      activation: { mode: startup }          # or on-demand, with delay
      throttle: { maxConcurrentCalls: 16, maxConcurrentSessions: 100 }
      operations: { echo: { latency: 5ms } } # echo = Echo, sleep = Delay, cpu = Burn, fail = Fault

Ctrl-C (or SIGTERM, SIGHUP) stops the host and its workers: a \`stopped\` event, exit 0. A second
one exits at once, exit 1. A bad configuration exits 2.`;

const DEFAULT_CONFIG = 'services:\n  - path: /echo\n    activation: { mode: startup }\n';

export const hostCommand = async (argv: string[]): Promise<number> => {
  const { values } = parsedOrUsage(
    () =>
      parseArgs({
        args: argv,
        options: { config: { type: 'string' }, port: { type: 'string' }, ...HELP_FLAG },
      }),
    HOST_USAGE,
  );
  if (values.help) return printUsage(HOST_USAGE);
  const port = values.port === undefined ? undefined : intFlag('port', values.port, 0);
  if (port !== undefined && port > 65535)
    throw new UsageError(`--port: expected a port from 0 to 65535, got ${port}`);
  const file = values.config ?? '(default configuration)';
  const read =
    values.config === undefined
      ? { text: DEFAULT_CONFIG }
      : await readYamlFile(values.config, 'host configuration');
  if ('problems' in read) {
    process.stderr.write(`${read.problems.map(formatProblem).join('\n')}\n`);
    return ExitCode.Usage;
  }
  const r = validateYaml(
    read.text,
    file,
    hostSchema,
    'a host configuration (a mapping with listen, sharing, services, defects)',
    hostBlockProblems,
  );
  if (!r.ok) {
    process.stderr.write(`${r.problems.map(formatProblem).join('\n')}\n`);
    return ExitCode.Usage;
  }
  // The host runs in a process group of its own, so the terminal's Ctrl-C reaches only us and the host
  // hears of each stop once, from us; its stdin is a pipe from us, so it also stops when we die.
  const child = spawn(
    process.execPath,
    [HOST_MAIN, '--exit-with-stdin', ...(port === undefined ? [] : ['--port', String(port)])],
    {
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NETTCP_CHAOS_HOST_CONFIG: JSON.stringify(r.value) },
    },
  );
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (c, sig) => resolve(c ?? (sig === null ? 1 : 0))),
  );
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    try {
      const e = JSON.parse(line) as { event?: string; port?: number; control?: string };
      if (e.event === 'ready') {
        const paths = r.value.services.map((s) => s.path).join(', ');
        process.stderr.write(
          `host listening on net.tcp://${r.value.listen.host}:${e.port} (${paths}); control socket ${e.control}; Ctrl-C stops it\n`,
        );
      }
    } catch {
      // not an event line
    }
  });
  // The host stops on SIGINT and SIGTERM (a closed terminal's SIGHUP asks the same); a second request
  // makes it exit at once.
  const detach = onStopRequests({
    stop: (why) => child.kill(why === 'SIGINT' ? 'SIGINT' : 'SIGTERM'),
    force: (why) => child.kill(why === 'SIGINT' ? 'SIGINT' : 'SIGTERM'),
  });
  try {
    return await exited;
  } finally {
    detach();
  }
};
