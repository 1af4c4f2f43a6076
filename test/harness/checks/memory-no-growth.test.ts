import t from 'tap';
import { memoryNoGrowth } from '../../../harness/checks/memory-no-growth.ts';
import type { ProcessSample } from '../../../model/history.ts';
import { history, load, phase, proc, target } from '../../helpers/history.ts';

const MB = 1024 * 1024;
const withRss = (mb: number, pid = 100): ProcessSample => ({
  ...proc(pid, { socket: 3 }),
  rssBytes: mb * MB,
});
const spec = memoryNoGrowth.schema.parse({ maxGrowth: '50MB' });

// A run: readings before load at `base` MB, during load by `during(i)`, after settle by `after`.
const runOf = (base: number, during: (i: number) => number, after: number[], sessions = 1000) =>
  history(
    target(500, withRss(base)),
    target(900, withRss(base)),
    phase(1000, 'load'),
    ...Array.from({ length: 8 }, (_, i) => target(1500 + i * 1000, withRss(during(i)))),
    load(9000, { ok: sessions }),
    phase(9500, 'drain'),
    phase(10000, 'settle'),
    ...after.map((mb, i) => target(10500 + i * 500, withRss(mb))),
    phase(12500, 'final'),
    target(12600, withRss(after.at(-1)!)),
  );

t.test('a collector saw-tooth that comes back down passes, whatever its peaks', async (t) => {
  const v = memoryNoGrowth.run(
    runOf(100, (i) => (i % 2 === 0 ? 180 : 110), [170, 104, 150]),
    spec,
  );
  t.equal(v.status, 'pass', v.summary);
  t.match(v.evidence, { baselineBytes: 100 * MB, afterBytes: 104 * MB, growthBytes: 4 * MB });
});

t.test('growth that stays after settle fails, with the slope and the figures', async (t) => {
  const v = memoryNoGrowth.run(
    runOf(100, (i) => 100 + i * 20, [260, 255, 258]),
    spec,
  );
  t.equal(v.status, 'fail');
  t.match(
    v.summary,
    /from 100\.0MB \(warm baseline\) to 255\.0MB after settle \(\+155\.0MB, .* per session over 1000\)/,
  );
  t.ok((v.evidence['slopeBytesPerSecond'] as number) > 19 * MB, 'about 20MB/s during load');
  const view = memoryNoGrowth.view(v);
  t.match(view.marks, [{ kind: 'line', chart: 'memory' }], 'the trend is drawn on the memory chart');
});

t.test('the per-session limit fails growth the absolute one allows', async (t) => {
  const strict = memoryNoGrowth.schema.parse({ maxGrowth: '1GB', perSession: '4KB' });
  const v = memoryNoGrowth.run(
    runOf(100, () => 120, [120, 120], 1000),
    strict,
  );
  t.equal(v.status, 'fail');
  t.match(v.summary, /over 4\.0KB per session/);
  t.equal(
    memoryNoGrowth.run(
      runOf(100, () => 100, [100.5, 100.5], 1000),
      strict,
    ).status,
    'pass',
  );
});

t.test('without a reading before or after load, it cannot judge', async (t) => {
  const none = memoryNoGrowth.run(
    history(phase(1000, 'load'), target(2000, withRss(1)), phase(3000, 'final')),
    spec,
  );
  t.equal(none.status, 'unknown');
  t.match(none.summary, /no baseline/i);
  const noAfter = memoryNoGrowth.run(history(target(500, withRss(1)), phase(1000, 'load')), spec);
  t.equal(noAfter.status, 'unknown');
});
