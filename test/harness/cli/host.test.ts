import { execa } from 'execa';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { CLI, runCli } from '../../helpers/cli.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test('host runs a YAML configuration in the foreground and stops cleanly on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const config = join(dir, 'host.yaml');
  await writeFile(config, 'services:\n  - path: /orders\n    activation: { mode: startup }\n');
  const child = execa(process.execPath, [CLI, 'host', '--config', config], { reject: false });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<{ port: number; pid: number }>((resolve) =>
    lines.on('line', (l) => {
      const e = JSON.parse(l) as { event: string; port: number; pid: number };
      if (e.event === 'ready') resolve(e);
    }),
  );
  const probe = await runCli(['probe', `net.tcp://127.0.0.1:${ready.port}/orders`]);
  t.equal(probe.exitCode, 0, String(probe.stdout));
  child.kill('SIGTERM');
  const r = await child;
  t.equal(r.exitCode, 0);
  t.match(String(r.stderr), /host listening on net\.tcp:\/\/127\.0\.0\.1:\d+ \(\/orders\)/);
  t.notOk(alive(ready.pid), 'the host process is gone');
});

t.test('a bad host configuration is reported like a suite problem, exit 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const config = join(dir, 'host.yaml');
  await writeFile(
    config,
    'services:\n  - path: orders\n    throttle: { maxConcurrentCals: 4 }\ndefects: [leaky]\n',
  );
  const r = await runCli(['host', '--config', config]);
  t.equal(r.exitCode, 2);
  const err = String(r.stderr);
  t.match(
    err,
    /host\.yaml:2:11 services\[0\]\.path: expected a path starting with \/ \(for example \/orders\), got "orders" \(string\)/,
  );
  t.match(
    err,
    /host\.yaml:3:17 services\[0\]\.throttle\.maxConcurrentCals: unknown field; did you mean "maxConcurrentCalls"\?/,
  );
  t.match(
    err,
    /host\.yaml:4:\d+ defects\[0\]: expected one of "overlapped-recycle-race", "leak-on-dispatch-timeout", "serial-extensions", got "leaky" \(string\)/,
  );
  t.match(
    (await runCli(['host', '--config', join(dir, 'missing.yaml')])).stderr,
    /cannot read the host configuration: no such file/,
  );
});
