import t from 'tap';
import { handlesNoLeak } from '../../../harness/checks/handles-no-leak.ts';
import { runChecks } from '../../../harness/checks/index.ts';
import type { FigureReading } from '../../../model/figures.ts';
import type { HistoryEvent } from '../../../model/history.ts';
import { history, phase, proc, target } from '../../helpers/history.ts';

const spec = { tolerance: 2, settle: 3000, warmup: 10 };

const run = (...events: Parameters<typeof history>) => handlesNoLeak.run(history(...events), spec);

t.test('passes when fds come back to the warm baseline', async (t) => {
  const v = run(
    target(900, proc(100, { socket: 3, pipe: 2, file: 4 })),
    phase(1000, 'load'),
    target(5000, proc(100, { socket: 80, pipe: 2, file: 4 })),
    phase(10000, 'final'),
    target(10100, proc(100, { socket: 3, pipe: 2, file: 5 }, { LISTEN: 1, TIME_WAIT: 0 })),
  );
  t.equal(v.status, 'pass', v.summary);
  t.match(v.summary, /no more sockets than their warm baseline.*tolerance 2; proc at \/proc/);
});

t.test(
  'one socket more than the warm baseline after settle fails: sockets are judged strictly',
  async (t) => {
    const v = run(
      target(900, proc(100, { socket: 3, file: 4 })),
      phase(1000, 'load'),
      phase(9000, 'settle'),
      target(9500, proc(100, { socket: 4, file: 4 })),
      phase(10000, 'final'),
      target(10100, proc(100, { socket: 4, file: 4 })),
    );
    t.equal(v.status, 'fail');
    t.match(v.summary, /pid 100 \(root\) went from 7 to 8 fds: 1 socket\(s\) more than its baseline/);
  },
);

t.test(
  'a socket open at one settle reading but closed at another is no leak (the lowest counts)',
  async (t) => {
    const v = run(
      target(900, proc(100, { socket: 3, file: 4 })),
      phase(1000, 'load'),
      phase(9000, 'settle'),
      target(9500, proc(100, { socket: 3, file: 4 })),
      phase(10000, 'final'),
      target(10100, proc(100, { socket: 4, file: 4 }, { ESTABLISHED: 1 })),
    );
    t.equal(v.status, 'pass', v.summary);
  },
);

t.test('fails when fds stay above the baseline, naming the pid and the fd kinds', async (t) => {
  const v = run(
    target(
      900,
      proc(100, { socket: 3, pipe: 2 }, {}, 'listener'),
      proc(200, { socket: 2, pipe: 2 }, {}, 'worker /orders'),
    ),
    phase(1000, 'load'),
    phase(10000, 'final'),
    target(
      10100,
      proc(100, { socket: 3, pipe: 2 }, {}, 'listener'),
      proc(200, { socket: 14, pipe: 2 }, { ESTABLISHED: 1, CLOSE_WAIT: 11 }, 'worker /orders'),
    ),
    {
      t: 6000,
      kind: 'log',
      level: 'warn',
      source: 'target',
      message:
        'An error occurred while dispatching a duplicated socket: this handle is now leaked in the process',
    },
  );
  t.equal(v.status, 'fail');
  t.match(
    v.summary,
    /pid 200 \(worker \/orders\) went from 4 to 16 fds: 11 socket\(s\) more than its baseline whose connection is over, 11 socket\(s\) in CLOSE_WAIT/,
  );
  t.match(v.summary, /1 "handle is now leaked" event/);
  t.notMatch(v.summary, /pid 100/, 'a process that did not grow is not blamed');
});

t.test('a socket in CLOSE_WAIT fails even within the tolerance', async (t) => {
  const v = run(
    target(900, proc(100, { socket: 3 })),
    phase(1000, 'load'),
    phase(9000, 'final'),
    target(9100, proc(100, { socket: 4 }, { CLOSE_WAIT: 1 })),
  );
  t.equal(v.status, 'fail');
  t.match(v.summary, /1 socket\(s\) in CLOSE_WAIT/);
});

t.test('TIME_WAIT is the kernel’s, not a leak', async (t) => {
  const v = run(
    target(900, proc(100, { socket: 3 })),
    phase(1000, 'load'),
    phase(9000, 'final'),
    target(9100, proc(100, { socket: 3 }, { TIME_WAIT: 40 })),
  );
  t.equal(v.status, 'pass');
});

t.test('a worker that started during the run is compared with its own lowest reading', async (t) => {
  const recycled = (total: number) => proc(300, { socket: total - 10, pipe: 10 }, {}, 'worker /orders');
  const pass = run(
    target(900, proc(100, { socket: 3 })),
    phase(1000, 'load'),
    target(4000, proc(100, { socket: 3 }), recycled(20)),
    target(5000, proc(100, { socket: 3 }), recycled(45)),
    phase(9000, 'final'),
    target(9100, proc(100, { socket: 3 }), recycled(21)),
  );
  t.equal(pass.status, 'pass', pass.summary);
  const fail = run(
    target(900, proc(100, { socket: 3 })),
    phase(1000, 'load'),
    target(4000, proc(100, { socket: 3 }), recycled(20)),
    phase(9000, 'final'),
    target(9100, proc(100, { socket: 3 }), recycled(30)),
  );
  t.equal(fail.status, 'fail');
  t.match(fail.summary, /pid 300 .* went from 20 to 30 fds \(started during the run/);
});

// A recycled worker's first reading, 100 ms after it started, is no baseline: it had not loaded yet.
t.test('a worker that started mid-run is not judged against a reading from before it warmed', async (t) => {
  const worker = (total: number) => proc(300, { socket: 2, pipe: 2, file: total - 4 }, {}, 'worker /orders');
  const v = run(
    target(900, proc(100, { socket: 3 })),
    phase(1000, 'load'),
    target(3000, proc(100, { socket: 3 }), worker(5)),
    target(3500, proc(100, { socket: 3 }), worker(22)),
    target(5000, proc(100, { socket: 3 }), worker(23)),
    target(7000, proc(100, { socket: 3 }), worker(22)),
    phase(9000, 'drain'),
    phase(10000, 'settle'),
    phase(13000, 'final'),
    target(13100, proc(100, { socket: 3 }), worker(22)),
  );
  t.equal(v.status, 'pass', v.summary);
});

const files = (t: number, n: number, extra: Record<string, number> = {}) =>
  target(t, { ...proc(100, { socket: 3, file: n }), fdTargets: { 'socket:LISTEN': 1, ...extra } });

t.test('files opened once early in load and kept (lazy loading) are not a leak', async (t) => {
  const events: HistoryEvent[] = [files(900, 4), phase(1000, 'load'), files(1500, 10)];
  for (let at = 2000; at <= 9000; at += 500) events.push(files(at, 10));
  events.push(phase(9100, 'drain'), phase(10000, 'settle'), phase(13000, 'final'), files(13100, 10));
  const v = run(...events);
  t.equal(v.status, 'pass', v.summary);
  t.match(v.summary, /grew by 6 early in load and held steady after \(a one-time step, not a leak\)/);
});

t.test('files that keep growing through the run fail, naming the files that grew', async (t) => {
  const events: HistoryEvent[] = [files(900, 4, { '/srv/app.log': 1 }), phase(1000, 'load')];
  for (let i = 1; i <= 16; i++)
    events.push(files(1000 + i * 500, 4 + Math.floor(i / 2), { '/srv/app.log': 1 }));
  events.push(phase(9100, 'drain'), phase(10000, 'settle'), phase(13000, 'final'));
  events.push(files(13100, 12, { '/srv/app.log': 1, '/srv/leak.tmp': 8 }));
  const v = run(...events);
  t.equal(v.status, 'fail', v.summary);
  t.match(v.summary, /8 other fd\(s\) more, growing through the run/);
  t.match(v.summary, /grew: \+8 \/srv\/leak\.tmp/);
  t.notMatch(v.summary, /app\.log/);
});

// An exporter's reading of one process's handles (windows_exporter's per-process handles gauge).
const exporter = (t: number, handles?: number, closeWait = 0, error?: string): HistoryEvent => ({
  t,
  kind: 'sample',
  source: 'observer',
  observer: 'prometheus',
  from: 'http://127.0.0.1:9182/metrics',
  readings:
    handles === undefined
      ? []
      : ([
          {
            figure: 'handles',
            subject: { key: 'pid:4242', name: 'SMSvcHost', scope: 'process', pid: 4242 },
            value: handles,
            metric: 'windows_process_handles',
            labels: { process: 'SMSvcHost', process_id: '4242' },
          },
          {
            figure: 'tcp',
            subject: { key: 'host', name: 'the host', scope: 'host' },
            value: 10 + closeWait,
            parts: { ESTABLISHED: 10, CLOSE_WAIT: closeWait },
            metric: 'windows_tcp_connections_state_count',
            labels: {},
          },
        ] satisfies FigureReading[]),
  ...(error === undefined ? {} : { error }),
});

t.test(
  'an exporter’s handles are judged the same way, and the evidence names the metric and URL',
  async (t) => {
    const events: HistoryEvent[] = [exporter(900, 300), phase(1000, 'load')];
    for (let i = 0; i <= 16; i++) events.push(exporter(1000 + i * 500, 300 + i * 3));
    events.push(phase(9100, 'drain'), phase(10000, 'settle'), phase(13000, 'final'), exporter(13100, 350));
    const v = run(...events);
    t.equal(v.status, 'fail', v.summary);
    t.match(v.summary, /SMSvcHost \(pid 4242\) went from 300 to 350 handles/);
    t.match(
      v.summary,
      /windows_process_handles\{process="SMSvcHost",process_id="4242"\} \(prometheus at http:\/\/127\.0\.0\.1:9182\/metrics\)/,
    );
  },
);

t.test('a failed scrape is a gap, not a zero: readings around it decide', async (t) => {
  const v = run(
    exporter(900, 300),
    phase(1000, 'load'),
    exporter(3000, undefined, 0, 'GET http://127.0.0.1:9182/metrics: ECONNREFUSED'),
    exporter(5000, 320),
    phase(9100, 'drain'),
    phase(10000, 'settle'),
    exporter(10500, undefined, 0, 'GET http://127.0.0.1:9182/metrics: ECONNREFUSED'),
    phase(13000, 'final'),
    exporter(13100, 301),
  );
  t.equal(v.status, 'pass', v.summary);
  t.match(v.summary, /2 reading\(s\) failed and are gaps/);
});

t.test('every final scrape failing leaves the verdict unknown, with the error', async (t) => {
  const v = run(
    exporter(900, 300),
    phase(1000, 'load'),
    phase(9100, 'drain'),
    phase(10000, 'settle'),
    phase(13000, 'final'),
    exporter(13100, undefined, 0, 'GET http://127.0.0.1:9182/metrics: no answer within 1000ms'),
  );
  t.equal(v.status, 'unknown');
  t.match(v.summary, /no answer within 1000ms/);
});

t.test('CLOSE_WAIT the host gained during the run fails even when the process figure passes', async (t) => {
  const v = run(
    exporter(900, 300, 1),
    phase(1000, 'load'),
    phase(9100, 'drain'),
    phase(10000, 'settle'),
    phase(13000, 'final'),
    exporter(13100, 300, 6),
  );
  t.equal(v.status, 'fail');
  t.match(v.summary, /5 socket\(s\) in CLOSE_WAIT more than before load/);
});

t.test('with no observer supplying handles the check is unknown, saying why', async (t) => {
  const [v] = runChecks(
    history(phase(1000, 'load'), phase(9000, 'final'), exporter(9100, undefined, 0, 'GET x: ECONNREFUSED')),
    { 'handles.noLeak': spec },
  );
  t.equal(v!.status, 'unknown');
  t.match(
    v!.summary,
    /no observer supplied handles .*every reading of prometheus at http:\/\/127\.0\.0\.1:9182\/metrics failed \(last: GET x: ECONNREFUSED\)/,
  );
});

t.test('without a final reading the verdict is unknown, never pass', async (t) => {
  const v = run(target(900, proc(100, { socket: 3 })), phase(1000, 'load'));
  t.equal(v.status, 'unknown');
  t.equal(
    run(phase(1000, 'load'), phase(9000, 'final'), target(9100, proc(100, { socket: 3 }))).status,
    'unknown',
  );
});

t.test(
  'after settle each kind counts at its lowest: a socket in one reading and a file in another are no leak',
  async (t) => {
    const v = run(
      target(900, proc(100, { socket: 3, file: 6 })),
      phase(1000, 'load'),
      phase(9000, 'settle'),
      target(9500, proc(100, { socket: 4, file: 4 })),
      phase(10000, 'final'),
      target(10100, proc(100, { socket: 3, file: 6 })),
    );
    t.equal(v.status, 'pass', v.summary);
  },
);

// Seen on a busy machine: the reading with the fewest fds in the later part of load was a late one
// with few sessions in flight but more leaked files; files are judged at their own lowest.
t.test(
  'growth through the run is measured on files alone, not on the reading with the fewest fds',
  async (t) => {
    const at = (ms: number, socket: number, file: number) => target(ms, proc(100, { socket, pipe: 9, file }));
    const v = run(
      at(3220, 3, 0),
      phase(3220, 'load'),
      at(3752, 10, 1),
      at(4752, 9, 3),
      at(5883, 9, 5),
      at(6409, 8, 6),
      at(7035, 4, 8),
      at(7936, 6, 9),
      phase(8580, 'drain'),
      phase(8668, 'settle'),
      at(8900, 3, 10),
      phase(10168, 'final'),
      at(10555, 4, 10),
    );
    t.equal(v.status, 'fail', v.summary);
    t.match(
      v.summary,
      /10 other fd\(s\) more, growing through the run \(14 after the first third of load, 19 at the end\)/,
    );
  },
);

t.test('a reading taken while the target is being stopped is not the settled level', async (t) => {
  const v = run(
    target(900, proc(100, { socket: 6, file: 4 })),
    phase(1000, 'load'),
    phase(9000, 'settle'),
    target(9500, proc(100, { socket: 16, file: 4 })),
    phase(10000, 'final'),
    target(10100, proc(100, { socket: 16, file: 4 })),
    phase(10110, 'stopping'),
    target(10120, proc(100, { socket: 4, file: 4 })),
  );
  t.equal(v.status, 'fail', v.summary);
  t.match(v.summary, /10 socket\(s\) more than its baseline/);
});

// A wedged program holds each probe's connection until the probe gives up: live connections, in
// flight at every reading, not sockets left behind.
t.test(
  'connections still live after settle (probes a wedged target holds) are not judged as leaked sockets',
  async (t) => {
    const at = (ms: number, established: number) =>
      target(ms, proc(100, { socket: 1 + established, file: 4 }, { LISTEN: 1, ESTABLISHED: established }));
    const v = run(
      at(900, 0),
      phase(1000, 'load'),
      at(2000, 5),
      at(3000, 6),
      at(4000, 5),
      phase(5000, 'drain'),
      phase(5500, 'settle'),
      at(6000, 5),
      phase(6500, 'final'),
      at(6600, 5),
    );
    t.equal(v.status, 'pass', v.summary);
  },
);

t.test(
  'growth with no reading in the later part of load to tell a step from a climb is unknown, never pass',
  async (t) => {
    const v = run(
      files(900, 4),
      phase(1000, 'load'),
      files(1100, 5),
      phase(9100, 'drain'),
      phase(10000, 'settle'),
      phase(13000, 'final'),
      files(13100, 9),
    );
    t.equal(v.status, 'unknown', v.summary);
    t.match(
      v.summary,
      /held 5 more handle\(s\) than its baseline after settle, but no reading of the target in the later two thirds of load/,
    );
  },
);
