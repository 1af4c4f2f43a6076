import t from 'tap';
import { processesNoLeak } from '../../../harness/checks/processes-no-leak.ts';
import type { ProcessSample } from '../../../model/history.ts';
import { history, phase, proc, target } from '../../helpers/history.ts';

const p = (pid: number, comm: string, ppid = 100, role = 'child'): ProcessSample => ({
  ...proc(pid, {}),
  comm,
  ppid,
  role,
});
const spec = processesNoLeak.schema.parse({});
const root = p(100, 'node', 1, 'root');

t.test(
  'a tree back to its baseline passes, a recycled worker (new pid, same command) included',
  async (t) => {
    const v = processesNoLeak.run(
      history(
        target(900, root, p(200, 'node', 100, 'worker /a')),
        phase(1000, 'load'),
        target(2000, root, p(200, 'node', 100, 'worker /a'), p(300, 'node', 100, 'worker /a')),
        phase(5000, 'final'),
        target(5100, root, p(300, 'node', 100, 'worker /a')),
      ),
      spec,
    );
    t.equal(v.status, 'pass', v.summary);
  },
);

t.test('extra processes fail, each named with its pid, command, parent and age', async (t) => {
  const v = processesNoLeak.run(
    history(
      target(900, root),
      phase(1000, 'load'),
      target(2000, root, p(401, 'sleep')),
      target(3000, root, p(401, 'sleep'), p(402, 'sleep')),
      phase(5000, 'final'),
      target(5100, root, p(401, 'sleep'), p(402, 'sleep')),
    ),
    spec,
  );
  t.equal(v.status, 'fail');
  t.match(v.summary, /2 more than its warm baseline of 1/);
  t.match(
    v.summary,
    /pid 402 sleep \(parent 100, seen for 2\.1s\), pid 401 sleep \(parent 100, seen for 3\.1s\)/,
  );
  t.match(v.evidence, { extra: [{ pid: 402, command: 'sleep', ppid: 100 }, { pid: 401 }] });
  t.equal(
    processesNoLeak.run(
      history(
        target(900, root),
        phase(1000, 'load'),
        phase(5000, 'final'),
        target(5100, root, p(401, 'sleep')),
      ),
      processesNoLeak.schema.parse({ tolerance: 1 }),
    ).status,
    'pass',
    'within the tolerance',
  );
});

t.test('without a baseline or a final reading, it cannot judge', async (t) => {
  t.equal(
    processesNoLeak.run(history(phase(1000, 'load'), phase(5000, 'final'), target(5100, root)), spec).status,
    'unknown',
  );
  t.equal(processesNoLeak.run(history(target(900, root), phase(1000, 'load')), spec).status, 'unknown');
});
