import t from 'tap';
import { handlesNoLeak } from '../../../harness/checks/handles-no-leak.ts';
import { history, phase, proc, target } from '../../helpers/history.ts';

const spec = { tolerance: 2, settle: 3000 };

const run = (...events: Parameters<typeof history>) => handlesNoLeak.run(history(...events), spec);

t.test('passes when fds come back to the warm baseline', async (t) => {
  const v = run(
    target(900, proc(100, { socket: 3, pipe: 2, file: 4 })),
    phase(1000, 'load'),
    target(5000, proc(100, { socket: 80, pipe: 2, file: 4 })),
    phase(10000, 'final'),
    target(10100, proc(100, { socket: 4, pipe: 2, file: 4 }, { LISTEN: 1, TIME_WAIT: 0 })),
  );
  t.equal(v.status, 'pass', v.summary);
  t.match(v.summary, /within 2 fd/);
});

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
  t.match(v.summary, /12 more fd\(s\) than its warm baseline \(tolerance 2\)/);
  t.match(
    v.summary,
    /pid 200 \(worker \/orders\) went from 4 to 16 fds \(\+12 sockets\), 11 socket\(s\) in CLOSE_WAIT/,
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
  t.match(fail.summary, /pid 300 .* went from 20 to 30 fds/);
});

t.test('without a final reading the verdict is unknown, never pass', async (t) => {
  const v = run(target(900, proc(100, { socket: 3 })), phase(1000, 'load'));
  t.equal(v.status, 'unknown');
  t.equal(
    run(phase(1000, 'load'), phase(9000, 'final'), target(9100, proc(100, { socket: 3 }))).status,
    'unknown',
  );
});
