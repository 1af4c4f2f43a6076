import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import {
  isNbfxError,
  NbfxErrorCode,
  readRecords,
  recordsToTree,
  SessionWriter,
  staticString,
  textRecordFor,
  treeToRecords,
  treeToXml,
  writeRecords,
  type XmlElement,
} from '../../../protocol/index.ts';
import { recordArb } from './arbitraries.ts';

const hex = (h: string): Uint8Array => Buffer.from(h.replaceAll(' ', ''), 'hex');
const resolve = (id: number): string => staticString(id) ?? `str${id}`;
const none = (): undefined => undefined;

// [MC-NBFS] section 3: a SOAP document in the static dictionary's strings.
const NBFS_EXAMPLE =
  '56 02 0B 01 61 06 0B 01 73 04 56 08 44 0A 1E 00 82 99 06 61 63 74 69 6F 6E 01 56 0E 40 09 49 6E 76 65 6E 74 6F 72 79 81 01 01';

t.test('the specification SOAP example reads with namespaces resolved', async (t) => {
  const tree = recordsToTree(readRecords(hex(NBFS_EXAMPLE)), resolve);
  t.equal(
    Buffer.from(treeToXml(tree)).toString(),
    '<s:Envelope xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:s="http://www.w3.org/2003/05/soap-envelope">' +
      '<s:Header><a:Action s:mustUnderstand="1">action</a:Action></s:Header>' +
      '<s:Body><Inventory>0</Inventory></s:Body></s:Envelope>',
  );
  t.equal(tree.ns, 'http://www.w3.org/2003/05/soap-envelope');
  const action = (tree.children[0] as XmlElement).children[0] as XmlElement;
  t.same(action.attributes, [
    { prefix: 's', name: 'mustUnderstand', ns: 'http://www.w3.org/2003/05/soap-envelope', value: '1' },
  ]);
});

t.test('written with the static dictionary, the example tree gives back the example bytes', async (t) => {
  const tree = recordsToTree(readRecords(hex(NBFS_EXAMPLE)), resolve);
  const w = new SessionWriter(0);
  t.equal(
    Buffer.from(writeRecords(treeToRecords(tree, w.lookup))).toString('hex'),
    NBFS_EXAMPLE.replaceAll(' ', '').toLowerCase(),
  );
});

const treeCode = (h: string): string | undefined => {
  try {
    recordsToTree(readRecords(hex(h)), resolve, { maxDepth: 4 });
    return undefined;
  } catch (e) {
    return isNbfxError(e) ? e.code : String(e);
  }
};

t.test('records that do not nest into one document are refused with a code', async (t) => {
  t.equal(treeCode(''), NbfxErrorCode.Unbalanced, 'nothing');
  t.equal(treeCode('40 01 61'), NbfxErrorCode.Unbalanced, 'left open');
  t.equal(treeCode('40 01 61 01 01'), NbfxErrorCode.Unbalanced, 'one end too many');
  t.equal(treeCode('40 01 61 01 40 01 62 01'), NbfxErrorCode.Unbalanced, 'two roots');
  t.equal(treeCode('98 01 61'), NbfxErrorCode.UnexpectedRecord, 'text before the root');
  t.equal(
    treeCode('40 01 61 98 01 61 04 01 62 86 01'),
    NbfxErrorCode.UnexpectedRecord,
    'attribute after content',
  );
  t.equal(treeCode('04 01 62 86'), NbfxErrorCode.UnexpectedRecord, 'attribute before any element');
  t.equal(treeCode('5e 01 61 01'), NbfxErrorCode.UndeclaredPrefix, 'undeclared element prefix');
  t.equal(treeCode('40 01 61 26 01 62 86 01'), NbfxErrorCode.UndeclaredPrefix, 'undeclared attribute prefix');
  t.equal(
    treeCode('40 01 61 40 01 61 40 01 61 40 01 61 40 01 61 01 01 01 01 01'),
    NbfxErrorCode.TooDeep,
    'depth 5 of 4',
  );
});

t.test('a prefix declared on an ancestor resolves; xml is always declared', async (t) => {
  const tree = recordsToTree(
    readRecords(
      hex('40 01 61 09 01 70 03 75 72 6e 6d 01 62 05 03 78 6d 6c 04 6c 61 6e 67 98 02 65 6e 01 01'),
    ),
    resolve,
  );
  const b = tree.children[0] as XmlElement;
  t.equal(b.ns, 'urn');
  t.equal(b.attributes[0]!.ns, 'http://www.w3.org/XML/1998/namespace');
});

t.test('text takes the most compact record that reads back the same', async (t) => {
  const w = new SessionWriter();
  w.lookup('known', true);
  const cases: [string, string][] = [
    ['', 'empty'],
    ['0', 'zero'],
    ['1', 'one'],
    ['true', 'true'],
    ['-128', 'int8'],
    ['1337', 'int16'],
    ['2147483647', 'int32'],
    ['9223372036854775807', 'int64'],
    ['9223372036854775808', 'chars8'],
    ['007', 'chars8'],
    ['-0', 'chars8'],
    ['urn:uuid:5eb6df4b-aefd-457f-bbfa-26446daf42e0', 'unique-id'],
    ['urn:uuid:5EB6DF4B-AEFD-457F-BBFA-26446DAF42E0', 'chars8'],
    ['known', 'dict'],
    ['Envelope', 'dict'],
    ['x'.repeat(300), 'chars16'],
  ];
  for (const [s, kind] of cases) t.equal(textRecordFor(s, w.lookup).t, kind, JSON.stringify(s.slice(0, 20)));
});

// Trees that records can carry: names and prefixes as XML allows, text anywhere.
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
const treeArb: fc.Arbitrary<XmlElement> = fc.letrec<{ el: XmlElement }>((tie) => ({
  el: fc
    .record({
      prefix: fc.constantFrom('', 'a', 's', 'pre'),
      name: nameArb,
      attrs: fc.uniqueArray(fc.tuple(nameArb, fc.string({ maxLength: 10 })), {
        maxLength: 3,
        selector: (a) => a[0],
      }),
      children: fc.array(
        fc.oneof({ depthSize: 'small' }, fc.string({ minLength: 1, maxLength: 12 }), tie('el')),
        { maxLength: 3 },
      ),
    })
    .map(({ prefix, name, attrs, children }): XmlElement => {
      // Adjacent strings merge when read; write them merged.
      const merged: (XmlElement | string)[] = [];
      for (const c of children) {
        const last = merged.at(-1);
        if (typeof c === 'string' && typeof last === 'string') merged[merged.length - 1] = last + c;
        else merged.push(c);
      }
      return {
        prefix,
        name,
        ns: prefix === '' ? '' : `urn:${prefix}`,
        declarations: prefix === '' ? [] : [{ prefix, uri: `urn:${prefix}` }],
        attributes: attrs.map(([n, value]) => ({ prefix: '', name: n, ns: '', value })),
        children: merged,
      };
    }),
})).el;

t.test('any tree written with session strings reads back as itself', async () => {
  fc.assert(
    fc.property(treeArb, (tree) => {
      const w = new SessionWriter();
      const records = treeToRecords(tree, w.lookup);
      const back = recordsToTree(readRecords(writeRecords(records)), (id) => {
        if (id % 2 === 0) return staticString(id)!;
        // The writer's ids, inverted for the reader.
        for (const probe of collect(tree)) if (w.lookup(probe, false) === id) return probe;
        throw new Error(`id ${id}`);
      });
      return isDeepStrictEqual(back, structuredClone(tree));
    }),
    { numRuns: 500 },
  );
});

const collect = (e: XmlElement): string[] => [
  e.name,
  ...e.declarations.map((d) => d.uri),
  ...e.attributes.map((a) => a.name),
  ...e.children.flatMap((c) => (typeof c === 'string' ? [] : collect(c))),
];

t.test('any records either build a tree or throw NbfxError', async () => {
  fc.assert(
    fc.property(fc.array(recordArb, { maxLength: 10 }), (records) => {
      try {
        recordsToTree(records, resolve);
      } catch (e) {
        if (!isNbfxError(e)) throw e;
      }
    }),
    { numRuns: 2000 },
  );
  // Resolving is the caller's: a resolver that refuses an id still yields the typed error.
  t.throws(() => recordsToTree([{ kind: 'element', prefix: '', name: { dict: 9 } }], none as never));
});
