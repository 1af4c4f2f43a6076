import t, { type Test } from 'tap';
import * as z from 'zod';
import { FAULTS } from '../../../faults/index.ts';
import type { AnyFault } from '../../../faults/types.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { FaultTimeline } from '../../../harness/run/fault-timeline.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';
import { HISTORY_VERSION, type FaultEvent } from '../../../model/history.ts';

const writer = () =>
  new HistoryWriter({
    version: HISTORY_VERSION,
    suite: 's',
    file: 's.yaml',
    text: '',
    seed: 1,
    startedAt: '2026-01-01T00:00:00Z',
    tool: { name: 'x', version: '0', node: 'v24', platform: 'linux' },
  });

const target = { kind: 'command' as const, pid: process.pid, pids: () => Promise.resolve([process.pid]) };

// A test fault: its inject resolves when `finish` is called (or after `injectMs`), its heals are logged.
const testFault = (name: string, o: { injectMs?: number; budgetMs?: number; log: string[] }) => {
  let finish: (v: string) => void = () => {};
  const fault: AnyFault = {
    name,
    schema: z.object({}),
    describe: () => name,
    ...(o.budgetMs === undefined ? {} : { injectBudgetMs: () => o.budgetMs! }),
    inject: () =>
      new Promise<unknown>((resolve) => {
        finish = resolve;
        if (o.injectMs !== undefined) setTimeout(() => resolve(`${name} active`), o.injectMs);
      }),
    heal: (a) => {
      o.log.push(`heal ${String(a)}`);
      return Promise.resolve();
    },
  };
  return { fault, finish: (v: string) => finish(v) };
};

// Runs a timeline of `specs` with the given registry for `ms`, then heals all; the fault events by type.
const run = async (
  t: Test,
  faults: readonly AnyFault[],
  specs: { kind: string; at: number; duration?: number }[],
  ms: number,
) => {
  const h = writer();
  const watchdog = await Watchdog.start();
  t.teardown(() => watchdog.close());
  const timeline = new FaultTimeline({
    faults: new Map(faults.map((f) => [f.name, f])),
    specs,
    target,
    history: h,
    watchdog,
    seed: 1,
    signal: new AbortController().signal,
    limits: { injectMs: 200, healMs: 200 },
  });
  timeline.start(h.now());
  await new Promise((r) => setTimeout(r, ms));
  await timeline.healAll();
  return h.history.events.filter((e): e is FaultEvent => e.kind === 'fault');
};

t.test('an inject that never returns is given up on at its limit, and the run goes on', async (t) => {
  const log: string[] = [];
  const hang = testFault('test-hang', { log });
  const events = await run(t, [hang.fault], [{ kind: 'test-hang', at: 0, duration: 100 }], 400);
  t.same(
    events.map((e) => e.type),
    ['intent', 'error'],
  );
  t.match(
    events.find((e) => e.type === 'error'),
    { detail: { during: 'inject', message: /did not finish within 0\.3s/ } },
    'the limit is the step limit plus the duration',
  );
  // It took effect after all: undone at once.
  hang.finish('late');
  await new Promise((r) => setTimeout(r, 20));
  t.same(log, ['heal late']);
});

t.test("a fault's own inject budget extends its limit, beyond its duration", async (t) => {
  const log: string[] = [];
  const slow = testFault('test-slow', { injectMs: 450, budgetMs: 600, log });
  const events = await run(t, [slow.fault], [{ kind: 'test-slow', at: 0, duration: 50 }], 700);
  t.same(
    events.map((e) => e.type),
    ['intent', 'inject', 'heal'],
    'an inject that waits on purpose within its budget is not cut off',
  );
  t.same(log, ['heal test-slow active']);
});

t.test('faults still active at the end heal in reverse order of injection', async (t) => {
  const log: string[] = [];
  const a = testFault('test-a', { injectMs: 1, log });
  const b = testFault('test-b', { injectMs: 1, log });
  const events = await run(
    t,
    [a.fault, b.fault],
    [
      { kind: 'test-a', at: 0, duration: 60_000 },
      { kind: 'test-b', at: 50, duration: 60_000 },
    ],
    200,
  );
  t.same(log, ['heal test-b active', 'heal test-a active']);
  t.same(
    events.filter((e) => e.type === 'heal').map((e) => e.fault),
    ['test-b', 'test-a'],
  );
});

t.test('a fault kind the registry does not know is refused when the timeline is built', async (t) => {
  const h = writer();
  t.throws(
    () =>
      new FaultTimeline({
        faults: new Map(),
        specs: [{ kind: 'nope', at: 0 }],
        target,
        history: h,
        watchdog: undefined as unknown as Watchdog,
        seed: 1,
        signal: new AbortController().signal,
      }),
    /no fault kind is named "nope"/,
  );
});

t.test(
  "inject budgets: a kill's restart waits restartAfter and then for the program to listen",
  async (t) => {
    const kill = FAULTS.get('kill')!;
    const spec = kill.schema.parse({ kind: 'kill', at: '1s', restart: true, restartAfter: '28s' });
    t.ok(kill.injectBudgetMs!(spec) >= 28_000 + 30_000, 'restartAfter and the listen wait are both budgeted');
    const noRestart = kill.schema.parse({ kind: 'kill', at: '1s' });
    t.equal(kill.injectBudgetMs!(noRestart), 0);
    const slow = FAULTS.get('slow-activation')!;
    t.equal(
      slow.injectBudgetMs!(
        slow.schema.parse({ kind: 'slow-activation', at: '1s', delay: '6s', path: '/o', duration: '10s' }),
      ),
      16_000,
    );
    // The network fault's toxic delay is the toxic's, not a wait of its inject: only its duration counts.
    const network = FAULTS.get('network')!;
    t.notOk('injectBudgetMs' in network, 'it has no budget of its own');
  },
);
