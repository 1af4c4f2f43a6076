import fc from 'fast-check';
import t from 'tap';
import type { FaultRecord } from '../../model/fault-records.ts';
import { genericFaultView, tableOf, valueText, words } from '../../model/fault-view.ts';

const record = (over: Partial<FaultRecord>): FaultRecord => ({
  id: 'x#0',
  kind: 'x',
  label: 'x',
  notes: [],
  errors: [],
  ...over,
});

t.test('note keys read as words and values as text, never as JSON', async (t) => {
  t.equal(words('refusedDuring'), 'refused during');
  t.equal(words('openConnectionsAffected'), 'open connections affected');
  t.equal(words('machineBusyPercent'), 'machine busy percent');
  t.equal(valueText({}), 'none');
  t.equal(valueText({ listenBacklog: 3, abortedPending: 0 }), 'listen backlog 3, aborted pending 0');
  t.equal(valueText([4987, 5059]), '4987, 5059');
  t.equal(valueText(null), 'none');
});

t.test('the generic view: a sentence per note, lists of objects as tables, errors last', async (t) => {
  const v = genericFaultView(
    record({
      notes: [
        { proxy: '127.0.0.1:4100', toxic: 'latency_downstream', openConnectionsAffected: 3 },
        { paused: [{ pid: 10, role: 'worker /orders', state: 'T' }], stopped: 1 },
      ],
      errors: [{ at: 7200, during: 'heal', message: 'the host did not answer', detail: {} }],
    }),
  );
  t.same(v.sentences, [
    'Proxy: 127.0.0.1:4100; toxic: latency_downstream; open connections affected: 3.',
    'Stopped: 1.',
    'Its heal failed at 7.2s (run time): the host did not answer.',
  ]);
  t.same(v.tables, [
    { caption: 'paused', columns: ['pid', 'role', 'state'], rows: [['10', 'worker /orders', 'T']] },
  ]);
});

t.test('a list that is not one of objects is no table', async (t) => {
  t.equal(tableOf('x', [1, 2]), undefined);
  t.equal(tableOf('x', []), undefined);
});

t.test('any JSON note reads without throwing, and nothing of it shows as [object Object]', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
      (notes) => {
        const v = genericFaultView(record({ notes }));
        const all = [...v.sentences, ...v.tables.flatMap((x) => x.rows.flat().map(String))];
        return all.every((s) => !s.includes('[object Object]'));
      },
    ),
    { numRuns: 300 },
  );
});
