import t from 'tap';
import type { LoadSample, OpEvent } from '../../../model/history.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { LoadRunner } from '../../../harness/load/runner.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';
import type { LoadSpec } from '../../../harness/suite/schema.ts';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import { silentServer } from '../../fixtures/servers.ts';

// Load specs as a suite would give them (defaults filled in by the schema).
const loadsOf = (yaml: string): LoadSpec[] => {
  const r = loadSuiteText(
    `name: t\ntarget: { command: [x, "{port}"], port: auto }\nload:\n${yaml}`,
    't.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite.load;
};

const history = () =>
  new HistoryWriter({
    version: 1,
    suite: 't',
    file: 't.yaml',
    text: '',
    seed: 1,
    startedAt: new Date().toISOString(),
    tool: { name: 'test', version: '0', node: process.version, platform: process.platform },
  });

t.test('constant-arrival-rate starts rate x duration sessions and records each', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const target = { host: '127.0.0.1', port: Number(new URL(echo.url('/a')).port) };
  const h = history();
  const r = new LoadRunner({
    loads: loadsOf(
      '  - { name: a, via: /a, model: constant-arrival-rate, rate: 50, duration: 1s, session: { calls: 2 } }',
    ),
    target,
    seed: 1,
    allowRemote: false,
    history: h,
  });
  r.start();
  const tick = setInterval(() => r.emitWindows(), 200);
  await r.done;
  await r.stop(2000);
  clearInterval(tick);
  r.emitWindows();
  const samples = h.history.events.filter((e): e is LoadSample => e.kind === 'sample');
  const ok = samples.reduce((n, s) => n + s.ok, 0);
  t.equal(ok, 50, 'every session completed ok');
  t.equal(
    samples.reduce((n, s) => n + s.calls.ok, 0),
    100,
  );
  t.equal(r.stats[0]!.totals.started, 50);
  t.ok(samples.some((s) => s.latency.corrected.count > 0 && s.latency.corrected.hist !== ''));
});

t.test(
  'a pooled load carries its sessions on kept connections and closes them when load stops',
  async (t) => {
    const echo = await startEchoEndpoint({ keepConnections: true });
    t.teardown(() => echo.close());
    const target = { host: '127.0.0.1', port: Number(new URL(echo.url('/a')).port) };
    const h = history();
    const r = new LoadRunner({
      loads: loadsOf(
        '  - { name: a, via: /a, model: constant-sessions, sessions: 2, duration: 500ms, session: { calls: 2, pooled: true } }',
      ),
      target,
      seed: 1,
      allowRemote: false,
      history: h,
    });
    r.start();
    await r.done;
    await r.stop(2000);
    r.emitWindows();
    const ok = h.history.events
      .filter((e): e is LoadSample => e.kind === 'sample')
      .reduce((n, s) => n + s.ok, 0);
    t.ok(ok > 4, `${ok} sessions`);
    t.ok(echo.accepted <= 2 + 1, `${echo.accepted} connections for ${ok} sessions`);
    t.equal(echo.reused + echo.accepted, ok, 'every other session on a kept connection');
    for (let i = 0; i < 100 && echo.sessions > 0; i++) await new Promise((r) => setTimeout(r, 10));
    t.equal(echo.sessions, 0, 'nothing left open at the target');
  },
);

t.test('sessions that cannot start because maxSessions are in flight are dropped', async (t) => {
  const silent = await silentServer();
  t.teardown(() => silent.close());
  const target = { host: '127.0.0.1', port: Number(new URL(silent.url('/a')).port) };
  const h = history();
  const r = new LoadRunner({
    loads: loadsOf(
      '  - { name: a, via: /a, model: constant-arrival-rate, rate: 100, duration: 500ms, maxSessions: 5, session: { openTimeout: 5s } }',
    ),
    target,
    seed: 1,
    allowRemote: false,
    history: h,
  });
  r.start();
  await r.done;
  t.equal(r.stats[0]!.totals.started, 5);
  t.ok(r.stats[0]!.totals.dropped >= 40, `dropped ${r.stats[0]!.totals.dropped}`);
  // Stopping cuts off what is still waiting; those sessions are info, not failures.
  await r.stop(100);
  const ops = h.history.events.filter((e): e is OpEvent => e.kind === 'op');
  t.equal(ops.length, 5);
  t.ok(ops.every((o) => o.type === 'info'));
});

t.test('constant-sessions keeps N sessions going back to back', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const target = { host: '127.0.0.1', port: Number(new URL(echo.url('/a')).port) };
  const h = history();
  const r = new LoadRunner({
    loads: loadsOf('  - { name: c, via: /a, model: constant-sessions, sessions: 3, duration: 300ms }'),
    target,
    seed: 1,
    allowRemote: false,
    history: h,
  });
  r.start();
  await r.done;
  await r.stop(1000);
  t.ok(r.stats[0]!.totals.ok > 3, `ok ${r.stats[0]!.totals.ok}`);
  t.equal(r.stats[0]!.totals.failed, 0);
  t.equal(r.active, 0);
});
