// Suites with SOAP load (session.soap) run through the command line: against the SOAP stand-in as a
// program target, and against the stand-in behind the reference host's forwarding route.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseDocument } from 'yaml';
import { readAllStats } from '../../harness/observe/proc.ts';
import { runCli } from '../helpers/cli.ts';
import { startStandIn } from './stand-in.ts';

type Report = {
  outcome: { result: string; exitCode: number };
  verdicts: { check: string; status: string; summary: string }[];
  loads: {
    name: string;
    ok: number;
    failed: Record<string, number>;
    calls: { ok: number; failed: number };
  }[];
  faults: { kind: string; label: string; injectedAt: number | null; errors: unknown[] }[];
};

const report = async (out: string, name: string): Promise<Report> =>
  JSON.parse(await readFile(join(out, name, 'report.json'), 'utf8')) as Report;

const history = async (out: string, name: string): Promise<Record<string, unknown>[]> =>
  (await readFile(join(out, name, 'history.ndjson'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// Stand-ins still running that a suite started (its program target).
const standIns = async (): Promise<number[]> => {
  const pids: number[] = [];
  for (const s of await readAllStats()) {
    if (s.state === 'Z') continue;
    const cmd = await readFile(`/proc/${s.pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('test/fixtures/programs/soap-service.ts')) pids.push(s.pid);
  }
  return pids;
};

const verdicts = (r: Report): Record<string, string> =>
  Object.fromEntries(r.verdicts.map((v) => [v.check, v.status]));

t.test('SOAP load against the stand-in as a program, recycled by SIGHUP: every check passes', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-soap-'));
  const r = await runCli(['run', 'test/fixtures/suites/soap-service.yaml', '--out', out], {
    timeout: 90_000,
  });
  t.equal(r.exitCode, 0, String(r.stdout).slice(-3000));
  const rep = await report(out, 'soap-service');
  t.same(verdicts(rep), {
    'listener.responsive': 'pass',
    'handles.noLeak': 'pass',
    'sessions.errorRate': 'pass',
  });
  const [echo, delay] = rep.loads;
  t.ok(echo!.ok > 100 && echo!.calls.ok === echo!.ok * 3, `echo: ${JSON.stringify(echo)}`);
  t.ok(delay!.ok > 10 && delay!.calls.failed === 0, `delay: ${JSON.stringify(delay)}`);
  t.match(rep.faults, [{ kind: 'recycle', label: 'recycle by SIGHUP', errors: [] }]);
  const events = await history(out, 'soap-service');
  t.ok(
    events.some((e) => e['kind'] === 'log' && e['message'] === 'RECYCLED 1'),
    'the stand-in recycled during the run',
  );
  const end = Date.now() + 5000;
  while ((await standIns()).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  t.same(await standIns(), [], 'the stand-in did not outlive the run');
});

t.test('SOAP load through the forwarding route to the stand-in, which recycles mid-run', async (t) => {
  const svc = await startStandIn({ anyAddress: true });
  t.teardown(svc.stop);
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-soap-'));
  // The suite as committed, with the stand-in's port in the forward address.
  const doc = parseDocument(await readFile('test/fixtures/suites/soap-forward.yaml', 'utf8'));
  doc.setIn(['target', 'host', 'services', 0, 'forward'], `${svc.base}echo`);
  const file = join(out, 'soap-forward.yaml');
  await writeFile(file, doc.toString());

  const run = runCli(['run', file, '--out', out], { timeout: 90_000 });
  // Once load is under way, the upstream recycles: spliced sessions run on, new ones reach the new listener.
  const historyFile = join(out, 'soap-forward', 'history.ndjson');
  const until = Date.now() + 30_000;
  let loading = false;
  while (!loading && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    loading = (await readFile(historyFile, 'utf8').catch(() => '')).includes('"phase":"load"');
  }
  t.ok(loading, 'load started');
  await new Promise((r) => setTimeout(r, 1000));
  await svc.recycle();

  const r = await run;
  t.equal(r.exitCode, 0, String(r.stdout).slice(-3000));
  const rep = await report(out, 'soap-forward');
  t.same(verdicts(rep), {
    'listener.responsive': 'pass',
    'handles.noLeak': 'pass',
    'sessions.errorRate': 'pass',
  });
  t.ok(rep.loads[0]!.ok > 100 && rep.loads[0]!.calls.failed === 0, JSON.stringify(rep.loads[0]));
  const host = (await history(out, 'soap-forward'))
    .filter((e) => e['kind'] === 'log' && e['source'] === 'target')
    .map((e) => (e['data'] ?? {}) as Record<string, unknown>);
  const opened = host.filter((e) => e['event'] === 'forward-open').length;
  t.ok(opened > rep.loads[0]!.ok, `${opened} connections spliced (sessions and probes)`);
  t.equal(host.filter((e) => e['event'] === 'forward-failed').length, 0);
  t.equal(
    host.filter((e) => e['event'] === 'forward-closed').length,
    opened,
    'every spliced pair was closed',
  );
});
