import t from 'tap';
import { renderHtml } from '../../reports/html.ts';
import { handMadeRun } from './fixtures.ts';

const dataOf = (html: string) =>
  JSON.parse(/<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!) as {
    suite: string;
  };

t.test('the page is one file: scripts and styles inlined, nothing fetched', async (t) => {
  const html = renderHtml(handMadeRun(true));
  t.match(html, /^<!doctype html>/);
  t.notMatch(html, /<link\b/i);
  t.notMatch(html, /<script[^>]+\bsrc=/i);
  t.notMatch(html, /<img\b|<iframe\b|@import/i);
  t.match(html, /uPlot v1\.6\.32|leeoniya\/uPlot \(v1\.6\.32\)/, "uPlot's build is in the page");
  t.match(html, /\.u-legend/, "uPlot's styles are in the page");
  t.match(html, /nettcpChaosReport/, "the page's own script is in it");
});

t.test('markup in the suite cannot end a script element or run', async (t) => {
  const html = renderHtml(handMadeRun(true));
  t.equal(html.match(/<\/script>/g)?.length, 3, 'only the three script elements close');
  t.notMatch(html, /<script>window\.injected/);
  t.match(html, /&lt;\/script&gt;&lt;script&gt;window\.injected = 1/, 'shown as text in the suite section');
  t.match(dataOf(html).suite, 'hand-made');
});

t.test('verdict cards: failing checks first, each with its summary and evidence tables', async (t) => {
  const r = handMadeRun(false);
  const broken = handMadeRun(true).verdicts.find((v) => v.check === 'handles.noLeak')!;
  r.verdicts = r.verdicts.map((v) => (v.check === 'handles.noLeak' ? broken : v));
  r.verdicts.push({
    check: 'mystery',
    status: 'unknown',
    summary: 'No check is named mystery.',
    evidence: {},
  });
  const html = renderHtml(r);
  const order = [...html.matchAll(/<article class="verdict (\w+)" id="check-([\w.]+)"/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  t.same(order, [
    'fail handles.noLeak',
    'unknown mystery',
    'pass listener.responsive',
    'pass sessions.errorRate',
    'pass latency',
  ]);
  const card = html.slice(html.indexOf('id="check-handles.noLeak"'), html.indexOf('id="check-mystery"'));
  t.match(card, /not as expected/);
  t.match(card, /CLOSE_WAIT/);
  t.match(
    card,
    /<tr class="hot"><td>pid 300 \(worker \/orders\) \(started during the run\)<\/td>/,
    'the leaking process is highlighted',
  );
  t.match(
    card,
    /<td>16<\/td><td>26<\/td><td>10<\/td><td>14<\/td>/,
    'warm, settled, sockets more, CLOSE_WAIT',
  );
  t.match(card, /All evidence \(JSON\)/);
});

t.test('the outcome banner says how the run ended and why; the suite and versions are shown', async (t) => {
  const html = renderHtml(handMadeRun(true));
  t.match(
    html,
    /<header class="outcome not-met"><h1>hand-made <span class="result">did NOT meet its expectation/,
  );
  t.match(html, /seed 7 · exit code 1/);
  t.match(html, /<li>listener\.responsive failed: /);
  t.match(html, /<dt>node<\/dt><dd>v24\.21\.0<\/dd>/);
  t.match(html, /nettcp-chaos run hand-made\.yaml --seed 7/);
  t.match(html, /reference host, pid 100 on 127\.0\.0\.1:4000/);
  t.notMatch(html, /without an outcome/);
});

t.test('a history without an outcome says it was cut short', async (t) => {
  const r = handMadeRun(true);
  r.history.events = r.history.events.filter((e) => e.kind !== 'outcome');
  r.outcome = 'interrupted';
  t.match(renderHtml(r), /The history ends at 6\.6s without an outcome/);
});

t.test('a run that never reached load says no check was judged', async (t) => {
  const r = handMadeRun(false);
  r.verdicts = [];
  r.outcome = 'invalid';
  r.invalid = { code: 'RUN_TARGET_NOT_READY', message: 'the target never became ready' };
  const html = renderHtml(r);
  t.match(html, /No check was judged/);
  t.match(html, /<li>The run is invalid: the target never became ready<\/li>/);
});

t.test('one clock: the page says it is run time, and where load (and so a fault at:) began', async (t) => {
  const html = renderHtml(handMadeRun(true));
  const note =
    'Every time on this page is run time: seconds since the run started; load began at 1.0s, so a fault&#39;s at: counts from there.';
  t.match(
    html,
    new RegExp(
      `<section id="verdicts"><h2>Verdicts</h2><p class="sub">${note.replace(/[.()]/g, '\\$&')}</p>`,
    ),
  );
  t.match(
    html,
    new RegExp(`<section id="timeline"><h2>Timeline</h2><p class="sub">${note.replace(/[.()]/g, '\\$&')}`),
  );
  t.match(html, /<th>seen \(run time\)<\/th>/);
});
