import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.ts';
import { startOpsServer } from '../../helpers/exporters.ts';

t.test('the network fault puts its proxy in front of a remote target', async (t) => {
  const server = await startOpsServer(t, 'clean', `proxy-${process.pid}`);
  const dir = await mkdtemp(join(tmpdir(), 'remote-proxy-'));
  const file = join(dir, 'remote-proxy.yaml');
  await writeFile(
    file,
    [
      'name: remote-proxy',
      'target:',
      `  remote: { url: ${server.url} }`,
      'load:',
      '  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 20, duration: 3s, session: { calls: 1, operation: echo } }',
      'faults:',
      '  - { kind: network, at: 1s, duration: 1s, toxic: latency, latency: 150 }',
      'probe: { interval: 250ms, timeout: 2s }',
      'checks:',
      '  sessions.errorRate: { max: 0.05 }',
      '',
    ].join('\n'),
  );
  const r = await runCli(['run', file, '--out', join(dir, 'out')], { timeout: 90_000 });
  t.equal(r.exitCode, 0, String(r.stdout));
  const history = (await readFile(join(dir, 'out', 'remote-proxy', 'history.ndjson'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { kind: string; message?: string; type?: string; fault?: string });
  t.ok(
    history.some((e) => e.kind === 'log' && /network proxy in front of the target/.test(e.message ?? '')),
    'the proxy started',
  );
  t.ok(
    history.some((e) => e.kind === 'fault' && e.type === 'inject' && e.fault === 'network'),
    'the toxic took effect',
  );
  t.ok(
    history.some((e) => e.kind === 'fault' && e.type === 'heal' && e.fault === 'network'),
    'and was healed',
  );
  const report = JSON.parse(await readFile(join(dir, 'out', 'remote-proxy', 'report.json'), 'utf8')) as {
    target: { kind: string; pid?: number };
  };
  t.match(report.target, { kind: 'remote' });
  t.equal(report.target.pid, undefined, 'no local process');
});
