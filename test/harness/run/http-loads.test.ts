// HTTP loads through the command line against a program that serves HTTP only (its httpPort): every load
// model, and every way a reply can be wrong (a 500, a SOAP fault, a wrong echo), counted by
// sessions.errorRate; the HTTP probe alone makes the target ready and watches it.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.ts';

type Report = {
  outcome: { result: string };
  verdicts: { check: string; status: string; evidence: Record<string, unknown> }[];
  loads: { name: string; started: number; ok: number; failed: Record<string, number> }[];
};

const report = async (out: string, name: string): Promise<Report> =>
  JSON.parse(await readFile(join(out, name, 'report.json'), 'utf8')) as Report;

t.test('wrong replies fail sessions.errorRate by kind; right ones under every model pass', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-http-'));
  const r = await runCli(['run', 'test/fixtures/suites/http-replies.yaml', '--out', out], {
    timeout: 110_000,
  });
  t.equal(r.exitCode, 0, String(r.stdout).slice(-3000));

  const wrong = await report(out, 'http-replies.wrong');
  t.equal(wrong.outcome.result, 'met');
  const loads = Object.fromEntries(wrong.loads.map((l) => [l.name, l]));
  t.match(loads['ok'], { failed: {} });
  t.ok(loads['ok']!.ok > 0 && loads['ok']!.ok === loads['ok']!.started, 'the closed load: every request ok');
  // Open models start their schedules' counts: 20/s and 10/s for 3s, a ramp to 30/s over 3s (45).
  t.same(loads['status'], { ...loads['status'], started: 60, ok: 0, failed: { 'http-status': 60 } });
  t.same(loads['fault'], { ...loads['fault'], started: 45, ok: 0, failed: { 'reply-fault': 45 } });
  t.same(loads['wrong'], { ...loads['wrong'], started: 30, ok: 0, failed: { corrupt: 30 } });
  const rate = wrong.verdicts.find((v) => v.check === 'sessions.errorRate')!;
  t.equal(rate.status, 'fail');
  t.same(rate.evidence['failed'], { 'http-status': 60, 'reply-fault': 45, corrupt: 30 });
  t.equal(wrong.verdicts.find((v) => v.check === 'listener.responsive')?.status, 'pass');

  const right = await report(out, 'http-replies.right');
  t.equal(right.outcome.result, 'met');
  t.same(
    right.verdicts.map((v) => [v.check, v.status]),
    [
      ['listener.responsive', 'pass'],
      ['sessions.errorRate', 'pass'],
    ],
  );
  for (const l of right.loads) t.ok(l.ok > 0 && l.ok === l.started, `${l.name}: ${l.ok} of ${l.started} ok`);

  const history = await readFile(join(out, 'http-replies.right', 'history.ndjson'), 'utf8');
  const probes = history
    .split('\n')
    .filter((l) => l.includes('"kind":"probe"'))
    .map((l) => JSON.parse(l) as { listener: string; ok: boolean });
  t.ok(probes.length > 10, `${probes.length} probes`);
  t.ok(
    probes.every((p) => /^http:\/\/127\.0\.0\.1:\d+\/ok$/.test(p.listener)),
    'one listener probed, over HTTP',
  );
});
