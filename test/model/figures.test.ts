import t from 'tap';
import { describeSource, figureSeries, processTree, procReadings } from '../../model/figures.ts';
import type { HistoryEvent, TargetSample } from '../../model/history.ts';
import { history, phase, proc, target } from '../helpers/history.ts';

const scrape = (t: number, o: { handles?: number; rss?: number; error?: string }): HistoryEvent => ({
  t,
  kind: 'sample',
  source: 'observer',
  observer: 'prometheus',
  from: 'http://127.0.0.1:9256/metrics',
  readings: [
    ...(o.handles === undefined
      ? []
      : [
          {
            figure: 'handles' as const,
            subject: { key: 'group:orders', name: 'orders', scope: 'group' as const },
            value: o.handles,
            metric: 'namedprocess_namegroup_open_filedesc',
            labels: { groupname: 'orders' },
          },
        ]),
    ...(o.rss === undefined
      ? []
      : [
          {
            figure: 'rss' as const,
            subject: { key: 'group:orders', name: 'orders', scope: 'group' as const },
            value: o.rss,
          },
        ]),
  ],
  ...(o.error === undefined ? {} : { error: o.error }),
});

t.test(
  'a proc reading holds handles by kind, TCP states, memory, CPU, threads and the process count',
  async (t) => {
    const p = { ...proc(7, { socket: 2, file: 3 }, { ESTABLISHED: 1, CLOSE_WAIT: 1, UNIX: 4 }), threads: 9 };
    const r = procReadings(target(100, p) as TargetSample);
    t.same(
      r.map((x) => [x.figure, x.value]),
      [
        ['processes', 1],
        ['handles', 5],
        ['tcp', 2],
        ['rss', 1],
        ['cpu', 0],
        ['threads', 9],
      ],
    );
    t.same(r[1]!.parts, { socket: 2, 'socket-closed': 0, pipe: 0, file: 3, other: 0 });
    const closed = procReadings(
      target(
        100,
        proc(7, { socket: 5 }, { ESTABLISHED: 1, LISTEN: 1, CLOSE_WAIT: 2, OTHER: 1 }),
      ) as TargetSample,
    );
    t.same(
      closed[1]!.parts,
      { socket: 2, 'socket-closed': 3, pipe: 0, file: 0, other: 0 },
      'sockets whose connection is over apart',
    );
    t.same(r[2]!.parts, { ESTABLISHED: 1, CLOSE_WAIT: 1 }, 'unix sockets are no TCP state');
    t.match(r[1], {
      subject: { key: 'pid:7', pid: 7, ppid: 1, role: 'root', scope: 'process' },
      metric: '/proc/7/fd',
    });
  },
);

t.test('a figure is read from the first observer that supplied it, proc first, with its gaps', async (t) => {
  const h = history(
    scrape(500, { handles: 40, rss: 1000 }),
    target(600, proc(7, { file: 3 })),
    scrape(1500, { error: 'GET http://127.0.0.1:9256/metrics: ECONNREFUSED' }),
    target(1600, proc(7, { file: 4 })),
    scrape(2500, { handles: 41, rss: 1100 }),
  );
  const handles = figureSeries(h, 'handles');
  t.equal(handles.observer, 'proc');
  t.same(
    handles.series[0]!.points.map((p) => [p.t, p.value]),
    [
      [600, 3],
      [1600, 4],
    ],
  );
  const rss = figureSeries(h, 'rss');
  t.equal(rss.observer, 'proc', 'proc supplies rss too');
  const priv = figureSeries(h, 'private');
  t.equal(priv.series.length, 0);
  t.match(priv.missing, /^no observer supplied private \(private bytes .*\): /);
  t.match(priv.missing, /prometheus at http:\/\/127\.0\.0\.1:9256\/metrics supplied handles, rss/);
  t.match(priv.missing, /proc at \/proc supplied processes, handles, tcp, rss, cpu/);
});

t.test(
  'an exporter’s series keeps its gaps apart from its readings: a failed scrape is never a zero',
  async (t) => {
    const h = history(
      phase(100, 'load'),
      scrape(500, { handles: 40 }),
      scrape(1500, { error: 'timeout' }),
      scrape(2500, { handles: 41 }),
    );
    const v = figureSeries(h, 'handles');
    t.equal(v.observer, 'prometheus');
    t.same(v.readings, [500, 2500]);
    t.same(v.gaps, [{ t: 1500, error: 'timeout' }]);
    t.same(
      v.series[0]!.points.map((p) => p.value),
      [40, 41],
    );
    t.equal(
      describeSource(v.series[0]!.source),
      'namedprocess_namegroup_open_filedesc{groupname="orders"} (prometheus at http://127.0.0.1:9256/metrics)',
    );
  },
);

t.test('with no reading at all the reason says no observer read the target', async (t) => {
  t.match(figureSeries(history(phase(1, 'load')), 'handles').missing, /no observer read the target/);
  t.match(
    figureSeries(history(scrape(5, { error: 'ECONNREFUSED' })), 'handles').missing,
    /every reading of prometheus at .* failed \(last: ECONNREFUSED\)/,
  );
});

t.test('the process tree of each proc reading, for checks of processes', async (t) => {
  const child = { ...proc(8, {}), ppid: 7, comm: 'worker', role: 'child' };
  t.same(processTree(history(target(10, proc(7, {}), child))), [
    {
      t: 10,
      processes: [
        { pid: 7, ppid: 1, comm: 'node', role: 'root' },
        { pid: 8, ppid: 7, comm: 'worker', role: 'child' },
      ],
    },
  ]);
});
