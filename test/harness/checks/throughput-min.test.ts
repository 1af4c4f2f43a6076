import t from 'tap';
import { throughputMin } from '../../../harness/checks/throughput-min.ts';
import { history, loadEverySecond, phase } from '../../helpers/history.ts';

t.test('passes at a steady rate, fails on a dip, naming the window', async (t) => {
  const steady = history(
    phase(0, 'load'),
    ...loadEverySecond(0, 10000, () => ({ ok: 50 })),
    phase(10000, 'drain'),
  );
  t.equal(throughputMin.run(steady, { rate: 40, window: 1000, phase: 'all' }).status, 'pass');
  const dip = history(
    phase(0, 'load'),
    ...loadEverySecond(0, 10000, (x) => ({ ok: x === 6000 ? 2 : 50 })),
    phase(10000, 'drain'),
  );
  const v = throughputMin.run(dip, { rate: 40, window: 1000, phase: 'all' });
  t.equal(v.status, 'fail');
  t.match(v.summary, /fell below 40\/s in 1 of 10 windows: .* lowest 2\.0 at 5\.0s/);
});

t.test('a partial window at the end is not a dip', async (t) => {
  const h = history(phase(0, 'load'), ...loadEverySecond(0, 3000, () => ({ ok: 50 })), phase(3400, 'drain'));
  t.equal(throughputMin.run(h, { rate: 40, window: 1000, phase: 'all' }).status, 'pass');
});
