// report.html opened in headless Chromium (Debian's chromium, driven by playwright-core): the charts
// draw with data, the page logs no error and fetches nothing, and a screenshot is kept under
// test-artifacts/. Skips, saying why, where no chromium is installed (.ci/run installs it).

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { renderHtml } from '../../reports/html.ts';
import { browser, chart, noChromium, open } from '../helpers/chromium.ts';
import { runCli } from '../helpers/cli.ts';
import { handMadeRun } from './fixtures.ts';

t.test('report.html in headless Chromium', { skip: noChromium() }, async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-html-'));
  const run = await runCli([
    'run',
    'test/fixtures/suites/leaky-program.yaml',
    'test/fixtures/suites/wedge-program.yaml',
    '--out',
    out,
  ]);
  t.equal(run.exitCode, 1, 'both fixtures fail a check', { stdout: String(run.stdout) });
  const ctx = await browser();
  t.teardown(() => ctx.close());

  t.test(
    'the wedged listener: the fault window, the moment the probe went dark, the failing check first',
    async (t) => {
      const { drawn, errors, requests, timeline } = await open(
        ctx,
        join(out, 'wedge-program', 'report.html'),
        'report-wedge-program.png',
      );
      t.same(errors, [], 'no console errors');
      t.same(requests, [], 'nothing fetched');
      t.equal(drawn.firstCard, 'verdict fail check-listener.responsive');
      t.ok(drawn.overflow <= 0, 'no sideways scrolling on a laptop screen');
      t.match(
        timeline.bands.filter((b) => b.kind !== 'outage'),
        [
          { kind: 'fault', label: 'recycle by SIGHUP' },
          { kind: 'gap', label: /^no answer for [\d.]+s, never again$/ },
        ],
      );
      t.match(
        timeline.bands.find((b) => b.kind === 'outage'),
        { label: /^no session succeeded: \d+ timeout/ },
        'the wedge is an outage on the session charts, not a drop in latency',
      );
      t.match(
        timeline.markers.find((m) => m.kind === 'dark'),
        { label: 'last probe answered' },
      );
      for (const c of drawn.charts) t.ok(c.points > 0, `${c.id} has data`);
      const probes = chart(drawn, 'probes');
      t.ok(probes.series.find((s) => s.label === 'failed')!.points >= 5, 'failed probes are plotted');
      t.ok(probes.painted['failed']! > 50, 'and drawn in their colour');
      t.ok(probes.painted['ok']! > 50, 'answered probes are drawn');
      const failing = chart(drawn, 'sessions').series.filter((s) => s.label !== 'ok/s' && s.points > 0);
      t.ok(failing.length > 0, 'a line per way of failing');
      t.ok(
        failing.some((s) => chart(drawn, 'sessions').painted[s.label]! > 50),
        'and the failures are drawn',
      );
    },
  );

  t.test('the leaking program: fds climbing per process, CLOSE_WAIT stacked', async (t) => {
    const { drawn, errors, requests, timeline } = await open(
      ctx,
      join(out, 'leaky-program', 'report.html'),
      'report-leaky-program.png',
    );
    t.same(errors, []);
    t.same(requests, []);
    t.equal(drawn.firstCard, 'verdict fail check-handles.noLeak');
    t.match(
      timeline.markers.find((m) => m.kind === 'climb'),
      { label: /^pid \d+ \(process\) handles past baseline \d+ \+ 2$/ },
    );
    const fds = chart(drawn, 'fds');
    t.match(fds.series, [{ label: /^process \(pid \d+\)$/ }]);
    t.ok(Object.values(fds.painted)[0]! > 100, 'the fd line is drawn');
    t.ok(chart(drawn, 'probes').painted['failed']! < 10, 'no failed probe, so none of their colour');
    const sockets = chart(drawn, 'sockets-0');
    t.ok(sockets.painted['CLOSE_WAIT']! > 1000, 'the CLOSE_WAIT area is drawn');
  });

  t.test('markup in a suite stays text in the browser too', async (t) => {
    const file = join(out, 'hand-made.html');
    await writeFile(file, renderHtml(handMadeRun(true)));
    const { drawn, errors } = await open(ctx, file);
    t.same(errors, []);
    t.equal(drawn.injected, undefined);
    t.equal(drawn.charts.length, 7, 'sessions, latency, probes, fds, memory and two socket charts');
  });
});
