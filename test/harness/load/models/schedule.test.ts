import t from 'tap';
import { runShare } from '../../../../harness/load/models/schedule.ts';
import type { ModelContext } from '../../../../harness/load/models/types.ts';
import { WHOLE } from '../../../../harness/load/segment.ts';

// A model context on a virtual clock: sleeping moves the clock, a session lasts `sessionMs`.
const virtual = (sessionMs: number, stopAt = Infinity) => {
  let now = 0;
  let inFlight = 0;
  let most = 0;
  const launched: number[] = [];
  const ctx: ModelContext = {
    segment: WHOLE,
    now: () => now,
    sleepUntil: async (t) => {
      now = Math.max(now, t);
    },
    stopped: () => now >= stopAt,
    launch: async (intended) => {
      launched.push(intended);
      inFlight++;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      now += sessionMs;
      inFlight--;
    },
  };
  return { ctx, launched, most: () => most };
};

t.test('an open share launches each arrival at its time from the start', async (t) => {
  const v = virtual(0);
  await runShare({ arrivals: [0, 100, 250] }, 1000, Infinity, v.ctx);
  t.same(v.launched, [1000, 1100, 1250]);
});

t.test('an open share stops at the end and when the run stops', async (t) => {
  const v = virtual(0);
  await runShare({ arrivals: [0, 100, 200, 300] }, 0, 200, v.ctx);
  t.same(v.launched, [0, 100]);
  const stopped = virtual(0, 150);
  await runShare({ arrivals: [0, 100, 200, 300] }, 0, Infinity, stopped.ctx);
  t.same(stopped.launched, [0, 100]);
});

t.test('a closed share keeps its lanes busy back to back until the end', async (t) => {
  const v = virtual(10);
  await runShare({ sessions: 3 }, 0, 100, v.ctx);
  t.equal(v.most(), 3, 'three lanes at once');
  t.ok(v.launched.length >= 3 && v.launched.length <= 3 * 11, `${v.launched.length} sessions`);
  t.ok(v.launched.every((x) => x < 100));
});

t.test('a closed share of no lanes starts nothing', async (t) => {
  const v = virtual(10);
  await runShare({ sessions: 0 }, 0, 100, v.ctx);
  t.same(v.launched, []);
});
