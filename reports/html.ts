// report.html: one self-contained page per run (no network needed to open it): the outcome, the
// verdicts failing first with their evidence, a timeline of the run with fault windows shaded, the
// loads, faults and processes, and the suite as run. uPlot draws the charts; its script and styles,
// the page's own, and the run's data are all inlined.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult } from '../model/result.ts';
import {
  faultsTable,
  loadsTable,
  logList,
  outcomeHeader,
  processesTable,
  suiteSection,
} from './html-sections.ts';
import { timeline } from '../model/timeline.ts';
import { esc, ms, scriptJson } from './html-text.ts';
import { timelineData } from './html-timeline.ts';
import { verdictCards } from './html-verdicts.ts';

const require = createRequire(import.meta.url);

// uPlot's browser build and styles, and the page's script and styles, read once on first use.
let assets:
  { uplotJs: string; uplotCss: string; uplotVersion: string; pageJs: string; pageCss: string } | undefined;
const loadAssets = () => {
  if (assets !== undefined) return assets;
  const dist = (f: string) => readFileSync(require.resolve(`uplot/dist/${f}`), 'utf8');
  const own = (f: string) => readFileSync(new URL(f, import.meta.url), 'utf8');
  const { version } = require('uplot/package.json') as { version: string };
  assets = {
    uplotJs: dist('uPlot.iife.min.js'),
    uplotCss: dist('uPlot.min.css'),
    uplotVersion: version,
    pageJs: own('./page.js'),
    pageCss: own('./page.css'),
  };
  return assets;
};

// Inlined script text must not close its element early; none of ours does, and this keeps it so.
const inlineScript = (js: string): string => js.replace(/<\/script/gi, '<\\/script');

const section = (id: string, title: string, body: string): string =>
  `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;

// The one clock of the page: the run's. A suite's fault `at:` counts from the start of load, so where
// load began is said with it.
const clockNote = (r: RunResult): string => {
  const load = timeline(r.history).load;
  return (
    'Every time on this page is run time: seconds since the run started' +
    (load === undefined ? '.' : `; load began at ${ms(load.from)}, so a fault's at: counts from there.`)
  );
};

const timelineKey = (r: RunResult): string => {
  const faults = r.history.events.some((e) => e.kind === 'fault');
  return (
    `<p class="sub">${esc(clockNote(r))} Hovering one chart shows the same moment on all.</p><p class="sub">` +
    (faults ? '<span class="legend-key fault"></span>fault, from when it was issued' : '') +
    (faults ? '<span class="legend-key effect"></span>an instant fault took effect' : '') +
    '<span class="legend-key outage"></span>no session succeeded' +
    '<span class="legend-key gap"></span>longest probe gap' +
    '<span class="legend-key mark"></span>probe went dark, fds climbed, errors' +
    '<span class="legend-key phase"></span>phases</p>'
  );
};

// The page.
export const renderHtml = (r: RunResult): string => {
  const a = loadAssets();
  const data = { suite: r.suite, timeline: timelineData(r.history, r.verdicts) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.suite)}: ${esc(r.outcome)} - nettcp-chaos report</title>
<style>${a.uplotCss}</style>
<style>${a.pageCss}</style>
</head>
<body>
${outcomeHeader(r)}
<nav><a href="#verdicts">Verdicts</a><a href="#timeline">Timeline</a><a href="#loads">Loads</a><a href="#faults">Faults</a><a href="#processes">Processes</a><a href="#log">Log</a><a href="#suite">Suite</a></nav>
${section('verdicts', 'Verdicts', `<p class="sub">${esc(clockNote(r))}</p>${verdictCards(r)}`)}
${section('timeline', 'Timeline', `${timelineKey(r)}<div id="charts"></div><noscript><p class="warn">The charts need JavaScript.</p></noscript>`)}
${section('loads', 'Loads', loadsTable(r.history))}
${section('faults', 'Faults', faultsTable(r))}
${section('processes', 'Target processes', processesTable(r.history))}
${section('log', 'Warnings and errors', logList(r.history))}
${section('suite', 'The suite as run', suiteSection(r, `uPlot ${a.uplotVersion}`))}
<footer>nettcp-chaos ${esc(r.history.meta.tool.version)} · report.json, junit.xml and history.ndjson sit beside this file.</footer>
<script type="application/json" id="run-data">${scriptJson(data)}</script>
<script>${inlineScript(a.uplotJs)}</script>
<script>${inlineScript(a.pageJs)}</script>
</body>
</html>
`;
};
