import t from 'tap';
import { renderHtml } from '../../reports/html.ts';
import { MAX_POINTS } from '../../reports/downsample.ts';
import type { TimelineData } from '../../reports/html-timeline.ts';
import type { HistoryEvent, LoadSample } from '../../model/history.ts';
import { history, load, phase, proc, target } from '../helpers/history.ts';
import { handMadeRun } from './fixtures.ts';

// An 8-hour soak as the harness records it: a load window a second, a probe every 250ms, a target
// reading a second; one second at hour 4 with a burst of 500 sessions, one failed probe, and a
// CLOSE_WAIT pile-up for one reading at hour 6.
const HOURS = 8;
const END = HOURS * 3600_000;
const longHistory = () => {
  const events: HistoryEvent[] = [phase(0, 'load')];
  const steady = load(1000, { ok: 20, ms: 4 });
  const burst = load(1000, { ok: 500, ms: 40 });
  for (let s = 1; s <= END / 1000; s++) {
    const w: LoadSample = { ...(s === 4 * 3600 ? burst : steady), t: s * 1000 };
    events.push(w);
    const leak = s === 6 * 3600 ? 900 : 0;
    events.push(
      target(
        s * 1000,
        proc(10, { socket: 30 + leak }, { ESTABLISHED: 20, CLOSE_WAIT: leak }, 'worker /orders'),
      ),
    );
  }
  for (let ms = 250; ms < END; ms += 250) {
    const failed = ms === 3 * 3600_000;
    events.push({
      t: ms,
      kind: 'probe',
      ok: !failed,
      ms: failed ? 2000 : 1 + (ms % 7),
      ...(failed ? { failure: { kind: 'timeout' as const, stage: 'preamble' as const } } : {}),
    });
  }
  events.push(phase(END, 'drain'), phase(END + 1000, 'done'));
  const h = history();
  // Too many events to spread into one call.
  return { ...h, events: [...h.events, ...events].sort((a, b) => a.t - b.t) };
};

t.test("an 8-hour soak's page: every chart thinned to what a screen shows, its extremes kept", async (t) => {
  const run = { ...handMadeRun(false), history: longHistory(), verdicts: [], durationMs: END + 1000 };
  const html = renderHtml(run);
  t.ok(html.length < 1048576, `report.html is ${(html.length / 1048576).toFixed(2)} MB`);
  const data = JSON.parse(
    /<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!,
  ) as {
    timeline: TimelineData;
  };
  const chart = (id: string) => data.timeline.charts.find((c) => c.id === id)!;
  for (const c of data.timeline.charts)
    for (const s of c.series) t.ok(s.t.length <= MAX_POINTS, `${c.id} ${s.label}: ${s.t.length} points`);
  const okPerSecond = chart('sessions').series.find((s) => s.label === 'ok/s')!;
  t.equal(Math.max(...okPerSecond.v.map((v) => v ?? 0)), 500, 'the one-second burst is on the chart');
  t.equal(Math.min(...okPerSecond.v.map((v) => v ?? Infinity)), 20);
  const failed = chart('probes').series.find((s) => s.label === 'failed')!;
  t.same([failed.t, failed.v], [[3 * 3600], [2000]], 'the one failed probe is on the chart');
  const ok = chart('probes').series.find((s) => s.label === 'ok')!;
  t.equal(Math.max(...ok.v.map((v) => v ?? 0)), 7, 'the slowest answered probe is kept');
  const closeWait = chart('sockets-0').series.find((s) => s.label === 'CLOSE_WAIT')!;
  t.equal(Math.max(...closeWait.raw!.map((v) => v ?? 0)), 900, 'the CLOSE_WAIT pile-up is kept');
  t.equal(okPerSecond.t.at(-1), END / 1000 - 0.5, 'the line reaches the end of the run');
});
