import { spawn } from 'node:child_process';
import { stat, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { spawnHost } from '../../host/spawn.ts';
import { closedPort } from '../fixtures/servers.ts';
import { isAlive, open, waitUntil, workerPids } from './helpers/host.ts';

const MAIN = fileURLToPath(new URL('../../host/main.ts', import.meta.url));
const services = [
  { path: '/a', activation: { mode: 'startup' as const } },
  { path: '/b', activation: { mode: 'startup' as const } },
];

t.test(
  'ready comes first, the control socket is private, SIGTERM stops the host and every worker',
  async (t) => {
    const h = await spawnHost({ services });
    t.equal(h.lines[0]?.event, 'ready', 'the first line is ready');
    t.match(h.lines[0], { port: h.port, control: h.control, pid: h.pid });
    t.equal((await stat(h.control)).mode & 0o777, 0o600, 'the control socket is mode 0600');
    const workers = workerPids(h.lines);
    t.equal(workers.length, 2);
    const r = await open(h, '/a');
    t.ok(r.ok);
    const exit = await h.stop('SIGTERM');
    t.same(exit, { code: 0, signal: null });
    t.equal(h.lines.at(-1)?.event, 'stopped');
    t.ok(
      await waitUntil(async () => !(await Promise.all(workers.map(isAlive))).some(Boolean), 3000),
      'no worker left',
    );
    await t.rejects(stat(h.control), { code: 'ENOENT' }, 'the control socket is gone');
  },
);

t.test('workers die with the listener, even when it is killed with SIGKILL', async (t) => {
  const h = await spawnHost({ services });
  const workers = workerPids(h.lines);
  const r = await open(h, '/a');
  t.ok(r.ok, 'a session is open on a worker');
  // One worker's event loop is blocked: it notices only once the spike is over.
  await h.request({ command: 'burn', path: '/b', ms: 500 });
  process.kill(h.pid, 'SIGKILL');
  await h.exited;
  t.ok(
    await waitUntil(async () => !(await Promise.all(workers.map(isAlive))).some(Boolean), 5000),
    'every worker exited',
  );
});

t.test(
  'a configuration file and --port; an invalid configuration exits 2 naming every problem',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'host-main-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const port = await closedPort();
    const file = join(dir, 'host.json');
    await writeFile(file, JSON.stringify({ services }));
    const child = spawn(process.execPath, [MAIN, file, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    t.match(JSON.parse(first), { event: 'ready', port });
    child.kill('SIGINT');
    t.equal(await new Promise((resolve) => child.once('exit', resolve)), 0, 'SIGINT stops it cleanly');

    await writeFile(
      file,
      JSON.stringify({ sharing: { listenBacklog: 0 }, services: [{ path: 'orders' }], defects: ['nope'] }),
    );
    const bad = spawn(process.execPath, [MAIN, file], { stdio: ['ignore', 'pipe', 'ignore'] });
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: bad.stdout }).once('line', resolve),
    );
    t.equal(await new Promise((resolve) => bad.once('exit', resolve)), 2);
    const e = JSON.parse(line) as { event: string; code: string; message: string };
    t.match(e, { event: 'error', code: 'HOST_INVALID_CONFIG' });
    for (const field of ['sharing.listenBacklog', 'services[0].path', 'defects[0]'])
      t.match(e.message, field);
  },
);

t.test('a port in use: the host does not start and exits 1', async (t) => {
  const h = await spawnHost({ services: [] });
  t.teardown(() => h.stop());
  await t.rejects(spawnHost({ listen: { port: h.port } }), {
    code: 'HOST_ACTIVATION_FAILED',
    message: /did not start/,
  });
});

t.test('with --exit-with-stdin the host stops when its parent lets go of stdin', async (t) => {
  const child = spawn(process.execPath, [MAIN, '--exit-with-stdin'], {
    env: { ...process.env, NETTCP_CHAOS_HOST_CONFIG: JSON.stringify({ services }) },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines: Record<string, unknown>[] = [];
  const ready = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(JSON.parse(l) as Record<string, unknown>);
      if (lines.length === 1) resolve();
    }),
  );
  await ready;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  t.equal(await exited, 0);
  t.match(lines.at(-1), { event: 'stopped', signal: 'stdin' });
  const workers = lines.filter((l) => l.event === 'worker-start').map((l) => l.pid as number);
  t.equal(workers.length, 2);
  t.ok(
    await waitUntil(async () => !(await Promise.all(workers.map(isAlive))).some(Boolean), 3000),
    'no worker left',
  );
});
