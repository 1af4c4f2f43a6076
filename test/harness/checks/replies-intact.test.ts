import t from 'tap';
import { repliesIntact } from '../../../harness/checks/replies-intact.ts';
import type { HistoryEvent } from '../../../model/history.ts';
import { history, load, phase } from '../../helpers/history.ts';

const spec = repliesIntact.schema.parse({});
const corruptOp = (t: number, session: number): HistoryEvent => ({
  t,
  kind: 'op',
  type: 'fail',
  load: 'steady',
  session,
  intended: t - 5,
  start: t - 5,
  ms: 5,
  uncorrectedMs: 5,
  calls: 2,
  failure: { kind: 'corrupt', stage: 'call', call: 2, diff: { offset: 17, expected: '"abc"', got: '"abX"' } },
});

t.test('no corrupt reply passes, whatever else failed', async (t) => {
  const v = repliesIntact.run(
    history(phase(1000, 'load'), load(2000, { ok: 90, failed: { timeout: 10 } })),
    spec,
  );
  t.equal(v.status, 'pass', v.summary);
});

t.test('one corrupt reply fails, naming the first differences', async (t) => {
  const v = repliesIntact.run(
    history(phase(1000, 'load'), load(2000, { ok: 99, failed: { corrupt: 1 } }), corruptOp(1500, 7)),
    spec,
  );
  t.equal(v.status, 'fail');
  t.match(
    v.summary,
    /1 reply of 100 sessions did not carry back what was sent \(limit 0\)\. The first: session 7 call 2 at 1\.5s, offset 17: expected "abc", got "abX"\./,
  );
  t.match(repliesIntact.view(v).tables[0]!.rows[0], [
    '1.5s',
    'steady',
    '7',
    '2',
    '17',
    '"abc"',
    { text: '"abX"', strong: true },
  ]);
  t.equal(
    repliesIntact.run(
      history(load(2000, { ok: 99, failed: { corrupt: 1 } })),
      repliesIntact.schema.parse({ max: 1 }),
    ).status,
    'pass',
  );
});

t.test('with no session completed there is nothing to compare', async (t) => {
  t.equal(repliesIntact.run(history(phase(1000, 'load')), spec).status, 'unknown');
});
