// The report of a failing reproduction (KB3017663: an overlapped recycle wedges the reference host's
// listener) opened in headless Chromium: the cause is on the page, without opening history.ndjson.
// The banner says it reproduced as expected, the failing cards say expected, the recycle is drawn from
// when it was issued with a mark where it took effect, the wedge is an outage and not fast latency,
// the host's refusals are grouped with their reason, the fault is told in sentences, and every process
// shows its command line. A full-page screenshot is kept as test-artifacts/report-kb3017663-defect.png.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { browser, chart, noChromium, open } from '../helpers/chromium.ts';
import { runCli } from '../helpers/cli.ts';

t.test('a failing reproduction’s report shows its cause', { skip: noChromium() }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-kb-'));
  // The defect variant alone, as its own suite, and short.
  const text = await readFile('suites/kb3017663-overlapped-recycle.yaml', 'utf8');
  const file = join(dir, 'kb3017663-overlapped-recycle.yaml');
  await writeFile(file, text.replace(/^variants:[\s\S]*$/m, ''));
  const run = await runCli(['run', file, '--duration', '9s', '--out', join(dir, 'out')], {
    timeout: 90_000,
    env: { NETTCP_CHAOS_STATE_DIR: join(dir, 'state') },
  });
  t.equal(run.exitCode, 0, 'the reproduction met its expectation', { stdout: String(run.stdout) });
  const ctx = await browser();
  t.teardown(() => ctx.close());
  const { drawn, errors, requests, timeline } = await open(
    ctx,
    join(dir, 'out', 'kb3017663-overlapped-recycle', 'report.html'),
    'report-kb3017663-defect.png',
  );
  t.same(errors, [], 'no console errors');
  t.same(requests, [], 'nothing fetched');
  t.ok(drawn.overflow <= 0, 'no sideways scrolling on a laptop screen');

  t.equal(drawn.header.cls, 'outcome reproduced');
  t.match(
    drawn.header.text,
    /reproduced as expected: these checks failed as the suite expects: listener\.responsive, sessions\.errorRate/,
  );
  t.match(drawn.cards.slice(0, 2), [/^verdict fail expected check-/, /^verdict fail expected check-/]);
  t.match(drawn.sections['verdicts'], /FAIL · expected/);

  // The cause: the recycle, then the listener refusing every connection for its backlog.
  const faults = drawn.sections['faults'] ?? '';
  t.match(
    faults,
    /Recycled \/orders \(overlapped\): worker pid \d+ replaced by pid \d+, issued at [\d.]+s, took effect at [\d.]+s/,
  );
  t.match(faults, /After it took effect the host refused [\d,]+ connections \(listenBacklog [\d,]+\)/);
  t.match(faults, /at: 3\.0s = [\d.]+s/, "the suite's at: beside its run time");
  t.notMatch(faults, /[{]"/, 'no raw JSON');
  t.match(drawn.sections['log'], /host refused x[\d,]+: listenBacklog [\d,]+/);
  t.notMatch(drawn.sections['log'], /more in history\.ndjson/);
  t.match(drawn.sections['processes'], /host\/main\.ts/, 'the command line of the host');
  t.notMatch(drawn.sections['processes'], /MainThread/);

  // The charts: the recycle from when it was issued, where it took effect, and the wedge as an outage.
  const recycle = timeline.bands.find((b) => b.kind === 'fault')!;
  const effect = timeline.markers.find((m) => m.kind === 'effect')!;
  t.match(effect, { label: 'overlapped recycle of /orders: took effect' });
  t.ok(recycle.from < effect.t, 'the band begins when the recycle was issued, before it took effect');
  const dark = timeline.markers.find((m) => m.kind === 'dark');
  t.ok(dark !== undefined && dark.t >= recycle.from, 'the listener went dark after the recycle was issued');
  t.match(
    timeline.bands.find((b) => b.kind === 'outage' && b.chart === 'latency'),
    { label: /^no session succeeded: [\d,]+ reset/ },
  );
  const latency = chart(drawn, 'latency');
  t.ok(latency.painted['p99']! > 30, `the p99 line is visible (${latency.painted['p99']} pixels)`);
  t.ok(latency.painted['time to fail p50']! > 10, 'time to fail is drawn beside latency');
  t.match(drawn.sections['timeline'], /Every time on this page is run time/);
});
