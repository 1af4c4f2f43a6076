import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { resolveHostConfig } from '../../../host/config-input.ts';
import { connectControl } from '../../../host/control/client.ts';
import type { HostEvent } from '../../../host/events.ts';
import { startHost } from '../../../host/host.ts';
import { isAlive, waitUntil } from '../helpers/host.ts';

// The host in this process (startHost): the control channel, spoken raw and through the client.
const start = async (t: Test) => {
  const events: HostEvent[] = [];
  const host = await startHost(
    resolveHostConfig({ services: [{ path: '/c', activation: { mode: 'startup', delayMs: 200 } }] }),
    { onEvent: (e) => events.push(e) },
  );
  t.teardown(() => host.close());
  return { host, events };
};

// Sends raw lines; resolves with the first `n` response lines, parsed.
const raw = async (path: string, lines: string[], n: number): Promise<Record<string, unknown>[]> => {
  const s = connect(path);
  const out: Record<string, unknown>[] = [];
  const rl = createInterface({ input: s });
  const done = new Promise<void>((resolve) =>
    rl.on('line', (l) => {
      out.push(JSON.parse(l) as Record<string, unknown>);
      if (out.length === n) resolve();
    }),
  );
  for (const l of lines) s.write(`${l}\n`);
  await done;
  s.destroy();
  return out;
};

t.test('every request gets a response line with its id; bad ones say what is wrong', async (t) => {
  const { host } = await start(t);
  const out = await raw(
    host.control,
    [
      'not json',
      JSON.stringify({ id: 1, command: 'launch' }),
      JSON.stringify({ id: 'x', command: 'burn', path: 'c', ms: -5 }),
      JSON.stringify({ id: 3, command: 'pause', path: '/nowhere' }),
      JSON.stringify({ id: 4, command: 'pause', path: '/c', extra: true }),
      JSON.stringify({ id: 5, command: 'status' }),
    ],
    6,
  );
  const byId = new Map(out.map((r) => [r.id, r]));
  t.match(
    out.find((r) => r.id === undefined),
    { ok: false, error: { code: 'HOST_BAD_REQUEST', message: /JSON/ } },
  );
  t.match(byId.get(1), {
    ok: false,
    error: { code: 'HOST_BAD_REQUEST', message: /command: expected a command: status, recycle/ },
  });
  t.match(byId.get('x'), {
    ok: false,
    error: {
      code: 'HOST_BAD_REQUEST',
      message: /path: expected a service path.*got "c".*ms: expected a whole number of milliseconds.*got -5/,
    },
  });
  t.match(byId.get(3), { ok: false, error: { code: 'HOST_UNKNOWN_PATH' } });
  t.match(byId.get(4), { ok: false, error: { code: 'HOST_BAD_REQUEST', message: /unknown field "extra"/ } });
  t.match(byId.get(5), {
    ok: true,
    result: { pid: process.pid, port: host.port, routes: [{ path: '/c', state: 'registered' }] },
  });
});

t.test('a slow command does not hold up others on the same connection', async (t) => {
  const { host, events } = await start(t);
  const c = await connectControl(host.control);
  t.teardown(() => c.close());
  const order: string[] = [];
  const recycle = c
    .request({ command: 'recycle', path: '/c', mode: 'overlapped' })
    .then(() => order.push('recycle'));
  await c.request({ command: 'status' }).then(() => order.push('status'));
  await recycle;
  t.same(order, ['status', 'recycle']);
  t.ok(
    events.some((e) => e.event === 'recycle'),
    'the recycle was logged',
  );
  t.match(
    events.find((e) => e.event === 'control'),
    { command: 'recycle', path: '/c', mode: 'overlapped' },
  );
});

t.test('set-activation-delay once applies to the next activation only', async (t) => {
  const { host, events } = await start(t);
  await host.command({ command: 'set-activation-delay', path: '/c', ms: 600, once: true });
  await host.command({ command: 'recycle', path: '/c', mode: 'overlapped' });
  await host.command({ command: 'recycle', path: '/c', mode: 'overlapped' });
  const ms = events.filter((e) => e.event === 'worker-activated').map((e) => (e as { ms: number }).ms);
  t.equal(ms.length, 3);
  t.ok(
    ms[1]! >= 590 && ms[2]! < 590,
    `the first recycle took the delay, the second did not (${ms.map(Math.round).join(', ')}ms)`,
  );
});

t.test('close stops the workers of an in-process host', async (t) => {
  const { host, events } = await start(t);
  const pid = (events.find((e) => e.event === 'worker-start') as { pid: number }).pid;
  t.ok(await isAlive(pid));
  await host.close();
  t.ok(await waitUntil(async () => !(await isAlive(pid)), 3000), 'the worker is gone');
  await t.rejects(host.command({ command: 'status' }), { code: 'HOST_CLOSED' });
});
