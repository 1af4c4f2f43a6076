import t from 'tap';
import * as z from 'zod';
import { FAULTS } from '../../../faults/index.ts';
import type { AnyFault } from '../../../faults/types.ts';
import type { FaultEvent } from '../../../model/history.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { FaultTimeline } from '../../../harness/run/fault-timeline.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';

const writer = () =>
  new HistoryWriter({
    version: 1,
    suite: 's',
    file: 's.yaml',
    text: '',
    seed: 1,
    startedAt: '2026-01-01T00:00:00Z',
    tool: { name: 'x', version: '0', node: 'v24', platform: 'linux' },
  });

const target = { kind: 'command' as const, pid: process.pid, pids: () => Promise.resolve([process.pid]) };

t.test('an inject that never returns is given up on at its limit, and the run goes on', async (t) => {
  const healed: unknown[] = [];
  let finish: (v: string) => void = () => {};
  const hang: AnyFault = {
    kind: 'test-hang',
    schema: z.any(),
    describe: () => 'a fault whose inject does not return',
    inject: () => new Promise<unknown>((resolve) => (finish = resolve)),
    heal: (a) => {
      healed.push(a);
      return Promise.resolve();
    },
  };
  (FAULTS as Record<string, AnyFault>)['test-hang'] = hang;
  t.teardown(() => delete (FAULTS as Record<string, AnyFault>)['test-hang']);
  const h = writer();
  const watchdog = await Watchdog.start();
  t.teardown(() => watchdog.close());
  const timeline = new FaultTimeline({
    specs: [{ kind: 'test-hang', at: 0, duration: 100 }],
    target,
    history: h,
    watchdog,
    seed: 1,
    signal: new AbortController().signal,
    limits: { injectMs: 200, healMs: 200 },
  });
  timeline.start(h.now());
  await new Promise((r) => setTimeout(r, 400));
  await timeline.healAll();
  const events = h.history.events.filter((e): e is FaultEvent => e.kind === 'fault').map((e) => e.type);
  t.same(events, ['intent', 'error']);
  t.match(
    h.history.events.find((e) => e.kind === 'fault' && e.type === 'error'),
    { detail: { during: 'inject', message: /did not finish within 0\.3s/ } },
  );
  // It took effect after all: undone at once.
  finish('late');
  await new Promise((r) => setTimeout(r, 20));
  t.same(healed, ['late']);
});
