import t from 'tap';
import { timelineData } from '../../reports/html-timeline.ts';
import { history, load, phase, proc, target } from '../helpers/history.ts';
import { handMadeRun } from './fixtures.ts';

t.test('fault windows, the probe gap and the fd climb are placed on the run clock', async (t) => {
  const r = handMadeRun(true);
  const d = timelineData(r.history, r.verdicts);
  t.equal(d.end, 6.601);
  t.same(
    d.bands.map((b) => [b.kind, b.from, b.to, b.label, b.chart]),
    [
      ['fault', 2, 2.2, 'overlapped recycle of /orders', undefined],
      ['gap', 2, 3.5, 'no answer for 1.5s', 'probes'],
    ],
  );
  const marks = d.markers.map((m) => [m.kind, m.t, m.label]);
  t.same(
    marks.filter((m) => m[0] === 'phase'),
    [
      ['phase', 1, 'load starts'],
      ['phase', 5, 'load stops'],
      ['phase', 6.5, 'final reading'],
    ],
  );
  t.same(
    marks.find((m) => m[0] === 'dark'),
    ['dark', 2, 'last probe answered'],
  );
  // pid 300's handles once warm are 16 (its lowest reading early in load); past 16 + 2 first at 4.0s.
  t.same(
    marks.find((m) => m[0] === 'climb'),
    ['climb', 4, 'pid 300 (worker /orders) handles past baseline 16 + 2'],
  );
});

t.test('a fixed run marks its longest gap without calling it dark, and no climb', async (t) => {
  const r = handMadeRun(false);
  const d = timelineData(r.history, r.verdicts);
  t.match(
    d.bands.find((b) => b.kind === 'gap'),
    { label: 'longest gap for 100ms' },
  );
  t.same(
    d.markers.filter((m) => m.kind !== 'phase'),
    [],
  );
});

t.test('charts: sessions, latency, probes, fds per process, memory, sockets stacked per role', async (t) => {
  const r = handMadeRun(true);
  const d = timelineData(r.history, r.verdicts);
  t.same(
    d.charts.map((c) => c.id),
    ['sessions', 'latency', 'probes', 'fds', 'memory', 'sockets-0', 'sockets-1'],
  );
  const chart = (id: string) => d.charts.find((c) => c.id === id)!;
  t.same(
    chart('sessions').series.map((s) => s.label),
    ['ok/s', 'timeout/s'],
    'a line per way of failing',
  );
  const errors = chart('sessions').series.find((s) => s.label === 'timeout/s')!;
  t.same(errors.v, [0, 25, 0, 0], '25 timeouts in the wedged second');
  t.same(errors.t, [1.5, 2.5, 3.5, 4.5], 'each window at its middle');
  t.ok(chart('latency').log);
  t.same(
    chart('latency').series.map((s) => s.label),
    ['max', 'p99', 'p90', 'p50', 'time to fail p50'],
    'max first, so p99 is drawn over it',
  );
  const latency = chart('latency').series;
  t.equal(latency.find((s) => s.label === 'p99')!.width, 2.5, 'p99 drawn thicker than max');
  t.equal(latency.find((s) => s.label === 'max')!.dash, true);
  const probes = chart('probes').series;
  t.equal(probes.find((s) => s.label === 'failed')!.v.length, 14);
  t.same(
    chart('fds').series.map((s) => s.label),
    ['listener (pid 100)', 'worker /orders (pid 200)', 'worker /orders (pid 300)'],
  );
  const worker = chart('sockets-1');
  t.equal(worker.title, 'Sockets by state: worker /orders');
  const [closeWait, established] = worker.series;
  t.equal(closeWait!.label, 'CLOSE_WAIT', 'the top of the stack first');
  t.equal(established!.label, 'ESTABLISHED');
  const last = closeWait!.v.length - 1;
  t.equal(closeWait!.raw![last], 18, 'the legend shows the state itself');
  t.equal(closeWait!.v[last], 18 + (established!.v[last] ?? 0), 'drawn on top of the states below it');
});

t.test('more processes than lines fit draws one line per role', async (t) => {
  const many = Array.from({ length: 13 }, (_, i) =>
    proc(1000 + i, { socket: 1 }, {}, i === 0 ? 'listener' : 'child'),
  );
  const h = history(phase(0, 'load'), target(100, ...many), target(200, ...many));
  const fds = timelineData(h, []).charts.find((c) => c.id === 'fds')!;
  t.same(
    fds.series.map((s) => [s.label, s.v]),
    [
      ['listener', [1, 1]],
      ['child', [12, 12]],
    ],
  );
  t.match(fds.note, /13 processes/);
});

t.test('with two listeners probed, the probe chart has ok and failed points per listener', async (t) => {
  const at = (x: number, ok: boolean, listener: string) => ({
    t: x,
    kind: 'probe' as const,
    listener,
    ok,
    ms: 2,
  });
  const h = history(
    phase(1000, 'load'),
    at(1100, true, 'net.tcp://h:1/a'),
    at(1150, false, 'http://h:2/b'),
    at(1200, true, 'http://h:2/b'),
    phase(2000, 'final'),
  );
  const chart = timelineData(h, []).charts.find((c) => c.id === 'probes')!;
  t.equal(chart.title, 'Listener probes');
  t.same(
    chart.series.map((s) => [s.label, s.t]),
    [
      ['ok net.tcp://h:1/a', [1.1]],
      ['failed net.tcp://h:1/a', []],
      ['ok http://h:2/b', [1.2]],
      ['failed http://h:2/b', [1.15]],
    ],
  );
  t.equal(new Set(chart.series.map((s) => s.color)).size, 4, 'each its own colour');
});

t.test('a window where no session succeeded is a break in the latency line and an outage band', async (t) => {
  const h = history(
    phase(0, 'load'),
    load(1000, { ok: 50, ms: 20 }),
    load(2000, { ok: 0, failed: { reset: 40 }, failMs: 1 }),
    load(3000, { ok: 0, failed: { reset: 30, refused: 10 }, failMs: 1 }),
    load(4000, { ok: 50, ms: 20 }),
    phase(4000, 'drain'),
  );
  const d = timelineData(h, []);
  const p99 = d.charts.find((c) => c.id === 'latency')!.series.find((s) => s.label === 'p99')!;
  t.same(
    p99.v.map((v) => (v === null ? null : Math.round(v))),
    [20, null, null, 20],
    'no point where none succeeded, never a fast one',
  );
  const ttf = d.charts.find((c) => c.id === 'latency')!.series.find((s) => s.label === 'time to fail p50')!;
  t.same(ttf.v, [null, 1, 1, null]);
  t.same(
    d.bands.filter((b) => b.kind === 'outage').map((b) => [b.chart, b.from, b.to, b.label]),
    [
      ['sessions', 1, 3, 'no session succeeded: 70 reset, 10 refused'],
      ['latency', 1, 3, 'no session succeeded: 70 reset, 10 refused'],
    ],
  );
});

t.test('an instant fault is drawn from when it was issued, and marked where it took effect', async (t) => {
  const f = (at: number, type: 'intent' | 'inject' | 'heal', spec?: Record<string, unknown>) => ({
    t: at,
    kind: 'fault' as const,
    type,
    id: 'recycle#0',
    fault: 'recycle',
    label: 'overlapped recycle of /orders',
    ...(spec === undefined ? {} : { detail: { spec } }),
  });
  const h = history(
    phase(0, 'load'),
    f(5100, 'intent', { kind: 'recycle', at: 3000 }),
    f(5900, 'inject'),
    f(5901, 'heal'),
    {
      t: 6000,
      kind: 'fault',
      type: 'intent',
      id: 'pause#1',
      fault: 'pause',
      label: 'pause',
      detail: { spec: { kind: 'pause', at: 4000, duration: 1000 } },
    },
    { t: 6010, kind: 'fault', type: 'inject', id: 'pause#1', fault: 'pause', label: 'pause' },
    { t: 7000, kind: 'fault', type: 'heal', id: 'pause#1', fault: 'pause', label: 'pause' },
    phase(8000, 'drain'),
  );
  const d = timelineData(h, []);
  t.same(
    d.bands.filter((b) => b.kind === 'fault').map((b) => [b.from, b.to, b.label]),
    [
      [5.1, 5.901, 'overlapped recycle of /orders'],
      [6, 7, 'pause'],
    ],
  );
  t.same(
    d.markers.filter((m) => m.kind === 'effect').map((m) => [m.t, m.label]),
    [[5.9, 'overlapped recycle of /orders: took effect']],
    'only the instant fault is marked again',
  );
});
