import t from 'tap';
import { runSchedule } from '../../../harness/load/schedule-runner.ts';
import { constantArrivals } from '../../../model/arrivals.ts';

// A clock that jumps to each sleep's end at once: the schedule's times, not the machine's.
const fakeClock = () => {
  let now = 0;
  return {
    now: () => now,
    sleepUntil: async (t: number) => {
      now = Math.max(now, t);
    },
    advance: (ms: number) => (now += ms),
  };
};

t.test(
  'an open schedule launches one session per arrival at its time, without waiting for them',
  async (t) => {
    const c = fakeClock();
    const launched: number[] = [];
    let pending = 0;
    await runSchedule(
      { kind: 'open', arrivals: () => constantArrivals(10, 1000), durationMs: 1000, maxInFlight: 5 },
      500,
      {
        ...c,
        stopped: () => false,
        launch: (at) => {
          launched.push(at);
          pending++;
          // Never completes: an open schedule goes on regardless.
          return new Promise(() => {});
        },
      },
    );
    t.same(launched, [500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400]);
    t.equal(pending, 10);
  },
);

t.test('a closed schedule keeps its lanes busy, each launching its next when the last ends', async (t) => {
  const c = fakeClock();
  let active = 0;
  let most = 0;
  let total = 0;
  await runSchedule({ kind: 'closed', lanes: 3, durationMs: 100 }, 0, {
    ...c,
    stopped: () => false,
    launch: async () => {
      active++;
      total++;
      most = Math.max(most, active);
      await new Promise((r) => setImmediate(r));
      c.advance(10);
      active--;
    },
  });
  t.equal(most, 3, 'three at once');
  t.ok(total >= 10 && total <= 33, `${total} sessions in 100 ms of 10 ms sessions on 3 lanes`);
  t.ok(c.now() >= 100, 'until the duration ended');
});

t.test('a stop ends either schedule: nothing launches after it', async (t) => {
  const c = fakeClock();
  let stopped = false;
  const open: number[] = [];
  await runSchedule(
    { kind: 'open', arrivals: () => constantArrivals(10, 10_000), durationMs: 10_000, maxInFlight: 5 },
    0,
    {
      ...c,
      stopped: () => stopped,
      launch: async (at) => {
        open.push(at);
        if (open.length === 3) stopped = true;
      },
    },
  );
  t.equal(open.length, 3);
  stopped = true;
  let closed = 0;
  await runSchedule({ kind: 'closed', lanes: 2, durationMs: 10_000 }, 0, {
    ...c,
    stopped: () => stopped,
    launch: async () => {
      closed++;
    },
  });
  t.equal(closed, 0);
});
