import t from 'tap';
import { preambleFlood, type PreambleFloodSpec } from '../../faults/preamble-flood.ts';
import {
  contextFor,
  hostStatus,
  hostTarget,
  problemsOf,
  programTarget,
  sessionOpens,
  specsOf,
  startTarget,
  suiteWith,
  waitUntil,
} from './fault-helpers.ts';

type Probe = { ok: boolean; failure?: string };

t.test('silent connections take every pending accept: new sessions wait until heal', async (t) => {
  const suite = suiteWith(hostTarget('', 'maxPendingAccepts: 2, receiveTimeout: 10s'), [
    '{ kind: preamble-flood, at: 0s, duration: 3s, connections: 4 }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await preambleFlood.inject(specsOf(suite)[0] as PreambleFloodSpec, ctx);
  const note = ctx.notes[0]!;
  t.equal(note['connected'], 4);
  t.equal((note['listener'] as { reading: number }).reading, 2, 'both pending accepts are reading silence');
  const probe = note['probe'] as Probe;
  t.equal(probe.ok, false, `a fresh session during the flood: ${probe.failure}`);
  await preambleFlood.heal(active, ctx);
  const after = ctx.notes.at(-1)!;
  t.equal((after['probe'] as Probe).ok, true, 'after heal a fresh session gets through');
  t.ok(
    await waitUntil(async () => (await hostStatus(started.target)).listener.reading === 0, 3000),
    'the listener is reading nothing once the flood is gone',
  );
});

t.test('partial preambles cut off by receiveTimeout are opened again while the window lasts', async (t) => {
  const suite = suiteWith(hostTarget('', 'maxPendingAccepts: 4, receiveTimeout: 400ms'), [
    '{ kind: preamble-flood, at: 0s, duration: 2s, connections: 3, send: partial }',
  ]);
  const started = await startTarget(t, suite);
  const ctx = contextFor(started);
  const active = await preambleFlood.inject(specsOf(suite)[0] as PreambleFloodSpec, ctx);
  await new Promise((r) => setTimeout(r, 1500));
  await preambleFlood.heal(active, ctx);
  const note = ctx.notes.at(-1)!;
  t.ok((note['closedByTarget'] as number) >= 3, `the host closed ${String(note['closedByTarget'])}`);
  t.ok((note['opened'] as number) > 3, `and ${String(note['opened'])} were opened in all`);
  t.equal((note['probe'] as Probe).ok, true);
  t.ok((await sessionOpens(started.target, '/orders')).ok);
});

t.test('the flood is bounded', async (t) => {
  t.match(
    problemsOf(programTarget(), ['{ kind: preamble-flood, at: 0s, duration: 1s, connections: 100000 }']).join(
      '\n',
    ),
    /faults\[0\]\.connections: expected a number of connections to hold, from 1 to 5000/,
  );
});
