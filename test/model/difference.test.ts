import fc from 'fast-check';
import t from 'tap';
import { bytesDifference, textDifference } from '../../model/difference.ts';

t.test(
  'equal bytes or texts have no difference; otherwise it is at the first differing position',
  async (t) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        const d = bytesDifference(a, b);
        if (Buffer.from(a).equals(Buffer.from(b))) return d === undefined;
        if (d === undefined) return false;
        const i = d.offset;
        return (
          a.subarray(0, i).every((x, k) => x === b[k]) && (i === a.length || i === b.length || a[i] !== b[i])
        );
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const d = textDifference(a, b);
        if (a === b) return d === undefined;
        return d !== undefined && a.slice(0, d.offset) === b.slice(0, d.offset);
      }),
    );
    t.pass('first differences found');
  },
);

t.test('a difference shows a short stretch of both sides from there, or where one ends', async (t) => {
  t.same(bytesDifference(Buffer.from('abcdef'), Buffer.from('abXdef')), {
    offset: 2,
    expected: '63646566',
    got: '58646566',
  });
  t.same(textDifference('hello world', 'hello'), { offset: 5, expected: '" world"', got: '(end)' });
  t.match(textDifference('x'.repeat(40), `${'x'.repeat(20)}y${'x'.repeat(19)}`), {
    offset: 20,
    expected: /\.\.\."$/,
  });
});
