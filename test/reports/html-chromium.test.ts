// report.html opened in headless Chromium (Debian's chromium, driven by playwright-core): the charts
// draw with data, the page logs no error and fetches nothing, and a screenshot is kept under
// test-artifacts/. Skips, saying why, where no chromium is installed (.ci/run installs it).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import t from 'tap';
import { renderHtml } from '../../reports/html.ts';
import { runCli } from '../helpers/cli.ts';
import { handMadeRun } from './fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
// Without the background-networking flags Chromium dials out on start, which a closed network refuses.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Drawn = {
  charts: {
    id: string;
    points: number;
    series: { label: string; points: number }[];
    painted: Record<string, number>;
  }[];
  firstCard: string;
  overflow: number;
  injected: unknown;
};

// Opens a page as a person would and reads back what was drawn: per chart, how many pixels of each
// series' colour its canvas holds.
const open = async (ctx: BrowserContext, file: string, shot?: string) => {
  const page = await ctx.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction('window.nettcpChaosReport && window.nettcpChaosReport.ready', null, {
    timeout: 10_000,
  });
  const drawn = await page.evaluate<Drawn>(`(() => {
    const near = (d, i, [r, g, b]) => Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40 && d[i + 3] > 200;
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const charts = window.nettcpChaosReport.charts.map((c) => {
      const painted = {};
      if (c.plot) {
        const cv = c.plot.ctx.canvas;
        const d = c.plot.ctx.getImageData(0, 0, cv.width, cv.height).data;
        for (const s of c.plot.series.slice(1)) {
          const want = rgb(s._stroke ?? s.stroke());
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (near(d, i, want)) n++;
          painted[s.label] = n;
        }
      }
      return { id: c.id, points: c.points, series: c.series, painted };
    });
    const first = document.querySelector('#verdicts article');
    return {
      charts,
      firstCard: first.className + ' ' + first.id,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      injected: window.injected,
    };
  })()`);
  if (shot !== undefined) await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
  const data = JSON.parse((await page.locator('#run-data').textContent()) ?? '{}');
  await page.close();
  return {
    drawn,
    errors,
    requests,
    timeline: data.timeline as {
      bands: { kind: string; label: string }[];
      markers: { kind: string; label: string }[];
    },
  };
};

const chart = (d: Drawn, id: string) => d.charts.find((c) => c.id === id)!;

t.test(
  'report.html in headless Chromium',
  { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs Debian's chromium)` },
  async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-html-'));
    const run = await runCli([
      'run',
      'test/fixtures/suites/leaky-program.yaml',
      'test/fixtures/suites/wedge-program.yaml',
      '--out',
      out,
    ]);
    t.equal(run.exitCode, 1, 'both fixtures fail a check', { stdout: String(run.stdout) });
    await mkdir(ARTIFACTS, { recursive: true });
    const ctx = await chromium.launchPersistentContext(
      await mkdtemp(join(tmpdir(), 'nettcp-chaos-chromium-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1366, height: 900 },
      },
    );
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
        { label: /^process \(pid \d+\) fds past baseline \d+ \+ 2$/ },
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
      t.equal(drawn.charts.length, 6);
    });
  },
);
