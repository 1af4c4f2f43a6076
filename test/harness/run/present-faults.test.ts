import t from 'tap';
import type { AnyFault } from '../../../faults/types.ts';
import type { HistoryEvent } from '../../../model/history.ts';
import { presentFaults } from '../../../harness/run/present-faults.ts';
import { history } from '../../helpers/history.ts';

const note = (id: string, fault: string, detail: Record<string, unknown>): HistoryEvent => ({
  t: 1000,
  kind: 'fault',
  type: 'note',
  id,
  fault,
  label: id,
  detail,
});

const h = history(
  note('told#0', 'told', { a: 1 }),
  note('plain#1', 'plain', { openConnectionsAffected: 2 }),
  note('broken#2', 'broken', { b: 2 }),
);

const plugin = (name: string, present?: AnyFault['present']): AnyFault =>
  ({ name, present }) as unknown as AnyFault;

t.test('each fault is read by its own kind, else in generic words; a failing hook falls back', async (t) => {
  const registry = new Map<string, AnyFault>([
    ['told', plugin('told', (r) => ({ sentences: [`${r.id} said its piece`], tables: [] }))],
    ['plain', plugin('plain')],
    [
      'broken',
      plugin('broken', () => {
        throw new Error('no such note');
      }),
    ],
  ]);
  const views = presentFaults(h, registry);
  t.same(views['told#0']!.sentences, ['told#0 said its piece']);
  t.same(views['plain#1']!.sentences, ['Open connections affected: 2.']);
  t.same(views['broken#2']!.sentences, ['B: 2.', '(Its own account failed: no such note.)']);
});

t.test('with the real registry, a kind unknown to it still reads', async (t) => {
  t.same(presentFaults(h)['plain#1']!.sentences, ['Open connections affected: 2.']);
});
