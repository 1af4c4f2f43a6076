// report.html in headless Chromium for the page's tests: Debian's chromium driven by playwright-core,
// with no network, opening a page as a person would and reading back what was drawn (per chart, how
// many pixels of each series' colour its canvas holds) and what the page says.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
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

export type Drawn = {
  charts: {
    id: string;
    points: number;
    series: { label: string; points: number }[];
    painted: Record<string, number>;
  }[];
  firstCard: string;
  overflow: number;
  injected: unknown;
  // The outcome banner's class and text, each card's class, and each section's text as shown.
  header: { cls: string; text: string };
  cards: string[];
  sections: Record<string, string>;
};

// Opens a page as a person would and reads back what was drawn: per chart, how many pixels of each
// series' colour its canvas holds.
export const open = async (ctx: BrowserContext, file: string, shot?: string) => {
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
    const header = document.querySelector('header.outcome');
    return {
      charts,
      header: { cls: header.className, text: header.innerText },
      cards: [...document.querySelectorAll('#verdicts article')].map((a) => a.className + ' ' + a.id),
      sections: Object.fromEntries([...document.querySelectorAll('section')].map((x) => [x.id, x.innerText])),
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
      bands: { kind: string; label: string; from: number; to: number; chart?: string }[];
      markers: { kind: string; label: string; t: number }[];
    },
  };
};

export const chart = (d: Drawn, id: string) => d.charts.find((c) => c.id === id)!;

// Why a Chromium test skips here, or false when it can run.
export const noChromium = (): string | false =>
  existsSync(CHROMIUM) ? false : `no ${CHROMIUM} here (.ci/run installs Debian's chromium)`;

// A browser with no network and a laptop's screen; closed with the test.
export const browser = async (): Promise<BrowserContext> => {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'nettcp-chaos-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 900 },
  });
};
