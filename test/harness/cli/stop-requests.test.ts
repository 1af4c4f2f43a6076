import fc from 'fast-check';
import t from 'tap';
import {
  DUPLICATE_WINDOW_MS,
  STOP_SIGNALS,
  StopCounter,
  type StopSource,
} from '../../../harness/cli/stop-requests.ts';

const recorder = () => {
  const calls: string[] = [];
  const counter = new StopCounter({
    stop: (why) => calls.push(`stop ${why}`),
    force: (why) => calls.push(`force ${why}`),
  });
  return { calls, counter };
};

// An action: a signal to the process group (both this process and the launcher get it, in either
// order), to the launcher alone, or to this process alone.
const action = fc.record({
  to: fc.constantFrom('group', 'launcher', 'self'),
  signal: fc.constantFrom(...STOP_SIGNALS),
  launcherFirst: fc.boolean(),
  // How far apart the two deliveries of a group signal arrive.
  skew: fc.integer({ min: 0, max: DUPLICATE_WINDOW_MS - 1 }),
});

t.test('each action is one stop request, however many deliveries it makes', async (t) => {
  fc.assert(
    fc.property(
      fc.array(action, { maxLength: 6 }),
      fc.boolean(),
      fc.integer({ min: DUPLICATE_WINDOW_MS, max: 5000 }),
      (actions, launcherSide, gap) => {
        // Signals sent to one process alone are all to the launcher or all to us (mixing the two
        // can make one launcher-only and one self-only action look like one group action).
        const plan = actions.map((a) =>
          a.to === 'group' ? a : { ...a, to: launcherSide ? 'launcher' : 'self' },
        );
        const { calls, counter } = recorder();
        plan.forEach((a, i) => {
          const at = i * (gap + DUPLICATE_WINDOW_MS);
          const deliveries: [StopSource, number][] =
            a.to === 'group'
              ? a.launcherFirst
                ? [
                    ['launcher', at],
                    ['signal', at + a.skew],
                  ]
                : [
                    ['signal', at],
                    ['launcher', at + a.skew],
                  ]
              : [[a.to === 'launcher' ? 'launcher' : 'signal', at]];
          for (const [source, when] of deliveries) counter.deliver(source, a.signal, when);
        });
        const expected = [
          ...(plan.length >= 1 ? [`stop ${plan[0]!.signal}`] : []),
          ...(plan.length >= 2 ? [`force ${plan[1]!.signal}`] : []),
        ];
        return JSON.stringify(calls) === JSON.stringify(expected) && counter.requests === expected.length;
      },
    ),
  );
  t.pass('every plan of actions made one request per action');
});

t.test(
  'the same signal from one source within the window is one delivery (npm run forwards it)',
  async (t) => {
    const { calls, counter } = recorder();
    counter.deliver('signal', 'SIGINT', 1000);
    counter.deliver('signal', 'SIGINT', 1000 + DUPLICATE_WINDOW_MS - 1);
    t.same(calls, ['stop SIGINT']);
    counter.deliver('signal', 'SIGTERM', 1000 + DUPLICATE_WINDOW_MS - 1);
    t.same(calls, ['stop SIGINT', 'force SIGTERM'], 'another signal is another action');
  },
);

t.test('a repeated signal after the window forces', async (t) => {
  const { calls, counter } = recorder();
  counter.deliver('signal', 'SIGINT', 0);
  counter.deliver('launcher', 'SIGINT', 5);
  counter.deliver('signal', 'SIGINT', DUPLICATE_WINDOW_MS);
  t.same(calls, ['stop SIGINT', 'force SIGINT']);
});

t.test('no sequence of deliveries calls stop or force more than once, nor force before stop', async (t) => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.constantFrom<StopSource>('signal', 'launcher'),
          fc.constantFrom(...STOP_SIGNALS),
          fc.integer({ min: 0, max: 2000 }),
        ),
        { maxLength: 20 },
      ),
      (deliveries) => {
        const { calls, counter } = recorder();
        let at = 0;
        for (const [source, signal, step] of deliveries) counter.deliver(source, signal, (at += step));
        const kinds = calls.map((c) => c.split(' ')[0]);
        return (
          kinds.length <= 2 &&
          (kinds[0] === undefined || kinds[0] === 'stop') &&
          (kinds[1] === undefined || kinds[1] === 'force')
        );
      },
    ),
  );
  t.pass('at most one stop, then at most one force');
});
