import t from 'tap';
import { warmUp } from '../../../harness/run/warmup.ts';
import type { RunContext } from '../../../harness/run/context.ts';
import { suiteSchema } from '../../../harness/suite/schema.ts';
import type { RunningTarget } from '../../../harness/target/types.ts';
import type { HistoryEvent } from '../../../model/history.ts';
import { startOpsServer } from '../../helpers/exporters.ts';

// A run context with just what the warm-up reads: the suite, the seed, the signal and a history.
const contextFor = (checks: Record<string, unknown>) => {
  const events: HistoryEvent[] = [];
  const suite = suiteSchema.parse({
    name: 'warm',
    target: { remote: { url: 'net.tcp://127.0.0.1:1/' } },
    load: [
      {
        name: 'a',
        via: '/svc',
        model: 'constant-arrival-rate',
        rate: 5,
        duration: '1s',
        session: { calls: 2, operation: 'echo' },
      },
      {
        name: 'b',
        via: '/svc',
        model: 'constant-sessions',
        sessions: 1,
        duration: '1s',
        session: { calls: 1, operation: 'echo' },
      },
    ],
    checks,
  });
  let now = 0;
  const ctx = {
    suite,
    seed: 3,
    signal: new AbortController().signal,
    h: { append: (e: HistoryEvent) => events.push(e), now: () => (now += 1) },
  } as unknown as RunContext;
  return { ctx, events };
};

t.test(
  'each load makes the sessions handles.noLeak asks for, in its own shape, before the baseline',
  async (t) => {
    const server = await startOpsServer(t, 'clean', `warmup-${process.pid}`);
    const port = Number(new URL(server.url).port);
    const target = { kind: 'remote', host: '127.0.0.1', port } as unknown as RunningTarget;
    const { ctx, events } = contextFor({ 'handles.noLeak': { warmup: 6 } });
    await warmUp(ctx, target);
    t.match(events[0], { kind: 'phase', phase: 'warmup' });
    const warmups = events.filter((e) => e.kind === 'warmup');
    t.same(warmups.map((e) => [e.load, e.sessions, e.ok, e.failed]).sort(), [
      ['a', 6, 6, {}],
      ['b', 6, 6, {}],
    ]);
  },
);

t.test('no warm-up when no check asks for one, and failures are counted by kind', async (t) => {
  const none = contextFor({ 'handles.noLeak': { warmup: 0 } });
  await warmUp(none.ctx, { kind: 'remote', host: '127.0.0.1', port: 1 } as unknown as RunningTarget);
  t.same(none.events, []);
  const refused = contextFor({ 'handles.noLeak': { warmup: 2 } });
  await warmUp(refused.ctx, { kind: 'remote', host: '127.0.0.1', port: 1 } as unknown as RunningTarget);
  t.match(
    refused.events.filter((e) => e.kind === 'warmup'),
    [
      { sessions: 2, ok: 0, failed: { refused: 2 } },
      { sessions: 2, ok: 0, failed: { refused: 2 } },
    ],
  );
});
