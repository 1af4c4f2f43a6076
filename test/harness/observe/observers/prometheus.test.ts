import { createServer } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { prometheus } from '../../../../harness/observe/observers/prometheus.ts';
import type { ObserverSample } from '../../../../model/history.ts';
import type { RunningTarget } from '../../../../harness/target/types.ts';
import { runCli } from '../../../helpers/cli.ts';
import { startOpsServer, startProcessExporter, startPrometheus } from '../../../helpers/exporters.ts';

const target = {
  kind: 'remote',
  host: '127.0.0.1',
  port: 1,
  pids: async () => [],
} as unknown as RunningTarget;

// An exporter stand-in whose answer the test sets.
const stub = async (t: Test) => {
  let answer: { status: number; body: string } = { status: 200, body: '' };
  const server = createServer((_req, res) => res.writeHead(answer.status).end(answer.body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
  return { url, set: (a: typeof answer) => (answer = a), close: () => server.close() };
};

const observe = (spec: unknown) => {
  const samples: ObserverSample[] = [];
  let now = 0;
  const session = prometheus.start(prometheus.schema.parse(spec), {
    target,
    allowRemote: false,
    intervalMs: 500,
    now: () => (now += 1000),
    record: (e) => samples.push(e as ObserverSample),
  });
  return { samples, read: () => session.read({ detail: false }) };
};

t.test('a scrape that fails is recorded as a gap with why, never as a zero', async (t) => {
  const exporter = await stub(t);
  const o = observe({ scrape: exporter.url, exporter: 'windows_exporter', select: { process: 'SMSvcHost' } });
  exporter.set({ status: 200, body: 'windows_process_handles{process="SMSvcHost",process_id="9"} 410\n' });
  await o.read();
  exporter.set({ status: 503, body: 'collector failed' });
  await o.read();
  exporter.set({ status: 200, body: 'windows_process_handles{process="svchost",process_id="3"} 10\n' });
  await o.read();
  t.match(o.samples[0], { from: exporter.url, readings: [{ figure: 'handles', value: 410 }] });
  t.notOk('error' in o.samples[0]!);
  t.match(o.samples[1], { readings: [], error: /HTTP 503 collector failed/ });
  t.match(o.samples[2], {
    error: /no series matched: \{__name__=~"windows_process_handles",process=~"SMSvcHost/,
  });
  exporter.close();
  await o.read();
  t.match(o.samples[3], { readings: [], error: /GET http:\/\/127\.0\.0\.1:\d+\/metrics: / });
});

t.test('an exporter outside loopback is refused unless the suite allows remote targets', async (t) => {
  const samples: ObserverSample[] = [];
  const session = prometheus.start(
    prometheus.schema.parse({ scrape: 'http://192.0.2.1:9182/metrics', exporter: 'windows_exporter' }),
    {
      target,
      allowRemote: false,
      intervalMs: 500,
      now: () => 1,
      record: (e) => samples.push(e as ObserverSample),
    },
  );
  await session.read({ detail: false });
  t.match(samples, [{ readings: [], error: /192\.0\.2\.1.*not loopback/ }]);
});

// A suite that knows only the service's URL and its exporter (or the Prometheus server over it).
const remoteSuite = (name: string, url: string, observer: string, tag: string) =>
  [
    `name: ${name}`,
    'seed: 5',
    'target:',
    `  remote: { url: ${url} }`,
    'observe:',
    '  interval: 500ms',
    `  prometheus: { ${observer}, select: { process: ${tag} } }`,
    'load:',
    '  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 40, duration: 3s, session: { calls: 2, operation: echo } }',
    'probe: { interval: 250ms, timeout: 1s }',
    'checks:',
    '  handles.noLeak: { tolerance: 2, settle: 1500ms }',
    '  sessions.errorRate: { max: 0.01 }',
    '',
  ].join('\n');

const run = async (suite: string, name: string) => {
  const dir = await mkdtemp(join(tmpdir(), 'remote-suite-'));
  await writeFile(join(dir, `${name}.yaml`), suite);
  const r = await runCli(['run', join(dir, `${name}.yaml`), '--out', join(dir, 'out')], { timeout: 120_000 });
  const report = JSON.parse(await readFile(join(dir, 'out', name, 'report.json'), 'utf8')) as {
    verdicts: { check: string; status: string; summary: string }[];
  };
  return { r, verdict: report.verdicts.find((v) => v.check === 'handles.noLeak')!, report };
};

let tags = 0;
const tag = () => `nettcp-chaos-${process.pid}-${++tags}`;

t.test(
  'a leaking service the harness did not start fails handles.noLeak on its exporter’s figures, its twin passes',
  async (t) => {
    const exporter = await startProcessExporter(t);
    const observer = `scrape: ${exporter.url}, exporter: process-exporter`;
    const leakTag = tag();
    const leaky = await startOpsServer(t, 'leak', leakTag);
    const leak = await run(remoteSuite('remote-leak', leaky.url, observer, leakTag), 'remote-leak');
    t.equal(leak.r.exitCode, 1, String(leak.r.stdout));
    t.equal(leak.verdict.status, 'fail', leak.verdict.summary);
    t.match(
      leak.verdict.summary,
      new RegExp(
        `${leakTag} went from \\d+ to \\d+ handles: \\d+ handle\\(s\\) more, growing through the run`,
      ),
    );
    t.match(leak.verdict.summary, `namedprocess_namegroup_open_filedesc{groupname="${leakTag}"}`);
    t.match(leak.verdict.summary, `(prometheus at ${exporter.url})`);
    const cleanTag = tag();
    const clean = await startOpsServer(t, 'clean', cleanTag);
    const twin = await run(remoteSuite('remote-clean', clean.url, observer, cleanTag), 'remote-clean');
    t.equal(twin.verdict.status, 'pass', twin.verdict.summary);
    t.equal(twin.r.exitCode, 0, String(twin.r.stdout));
  },
);

t.test('the same through a Prometheus server’s query API', async (t) => {
  const exporter = await startProcessExporter(t);
  const server = await startPrometheus(t, new URL(exporter.url).host);
  const observer = `query: ${server.url}, exporter: process-exporter`;
  const leakTag = tag();
  const leaky = await startOpsServer(t, 'leak', leakTag);
  const leak = await run(remoteSuite('query-leak', leaky.url, observer, leakTag), 'query-leak');
  t.equal(leak.verdict.status, 'fail', leak.verdict.summary);
  t.match(leak.verdict.summary, `namedprocess_namegroup_open_filedesc{groupname="${leakTag}"}`);
  t.match(leak.verdict.summary, `(prometheus at ${server.url})`);
  const cleanTag = tag();
  const clean = await startOpsServer(t, 'clean', cleanTag);
  const twin = await run(remoteSuite('query-clean', clean.url, observer, cleanTag), 'query-clean');
  t.equal(twin.verdict.status, 'pass', twin.verdict.summary);
});
