import fc from 'fast-check';
import t from 'tap';
import { crossChecks } from '../../../../harness/suite/cross-checks.ts';
import { itemsAt, targetKindOfRaw, viasOf } from '../../../../harness/suite/rules/raw.ts';

t.test('the target kind is known only when exactly one is named', async (t) => {
  t.equal(targetKindOfRaw({ target: { host: {} } }), 'host');
  t.equal(targetKindOfRaw({ target: { command: [] } }), 'command');
  t.equal(targetKindOfRaw({ target: { host: {}, command: [] } }), undefined);
  t.equal(targetKindOfRaw({ target: 'x' }), undefined);
});

t.test('list items that are not objects are skipped, indexes kept', async (t) => {
  t.same(itemsAt({ load: [1, { a: 1 }, null, { b: 2 }] }, 'load'), [
    [{ a: 1 }, 1],
    [{ b: 2 }, 3],
  ]);
  t.same(viasOf({ load: [{ via: '/a' }], probe: { via: '/p' } }), [
    [['load', 0, 'via'], '/a'],
    [['probe', 'via'], '/p'],
  ]);
});

t.test('the rules read any data without throwing', async () => {
  fc.assert(
    fc.property(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom('target', 'load', 'faults', 'probe', 'checks', 'expect', 'allowRemote'),
        fc.anything(),
      ),
      (a, b) => {
        crossChecks(a);
        crossChecks(b);
      },
    ),
    { numRuns: 500 },
  );
});
