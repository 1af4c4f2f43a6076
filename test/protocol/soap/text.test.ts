import fc from 'fast-check';
import t from 'tap';
import {
  el,
  isSoapError,
  SoapErrorCode,
  treeToXml,
  xmlToTree,
  type XmlElement,
} from '../../../protocol/index.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

t.test('XML text parses into a namespace-resolved tree', async (t) => {
  const tree = xmlToTree(
    utf8('<?xml version="1.0"?><s:E xmlns:s="urn:s" xmlns="urn:d"><B a="1" s:b="2">x &amp; <C/>y</B></s:E>'),
  );
  t.equal(tree.ns, 'urn:s');
  t.same(tree.declarations, [
    { prefix: 's', uri: 'urn:s' },
    { prefix: '', uri: 'urn:d' },
  ]);
  const b = tree.children[0] as XmlElement;
  t.equal(b.ns, 'urn:d');
  t.same(b.attributes, [
    { prefix: '', name: 'a', ns: '', value: '1' },
    { prefix: 's', name: 'b', ns: 'urn:s', value: '2' },
  ]);
  t.equal(b.children[0], 'x & ');
  t.equal(b.children[2], 'y');
});

t.test('writing escapes what must be escaped and reads back the same characters', async (t) => {
  const tree = el('a', '', ['<&>\r\n"\''], {
    attributes: [{ prefix: '', name: 'v', ns: '', value: '"<&\t\n\r' }],
  });
  const xml = str(treeToXml(tree));
  t.equal(xml, '<a v="&quot;&lt;&amp;&#9;&#10;&#13;">&lt;&amp;&gt;&#13;\n"\'</a>');
  t.same(xmlToTree(utf8(xml)), tree);
});

t.test('characters XML cannot carry are refused with SOAP_UNENCODABLE', async (t) => {
  t.throws(() => treeToXml(el('a', '', ['\u0000'])), { code: SoapErrorCode.Unencodable });
  t.throws(() => treeToXml(el('a', '', ['\ud800'])), { code: SoapErrorCode.Unencodable });
});

t.test('malformed input throws SOAP_XML', async (t) => {
  for (const bad of [
    '',
    '<a>',
    '<a></b>',
    'text',
    '<a/><b/>',
    '<p:a/>',
    '<a>&bogus;</a>',
    '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
  ]) {
    t.throws(() => xmlToTree(utf8(bad)), { code: SoapErrorCode.Xml }, JSON.stringify(bad));
  }
  t.throws(() => xmlToTree(Uint8Array.of(0x3c, 0x61, 0xff, 0x3e)), { code: SoapErrorCode.Xml }, 'not UTF-8');
  t.throws(() => xmlToTree(utf8('<a><a><a></a></a></a>'), 2), { code: SoapErrorCode.Xml }, 'too deep');
});

t.test('random and mutated text only ever throws SoapError', async () => {
  const seed =
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x a="b">t</x></s:Body></s:Envelope>';
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 127 })), { maxLength: 4 }).map((flips) => {
          const b = utf8(seed);
          for (const [at, v] of flips) b[at % b.length] = v;
          return b;
        }),
      ),
      (b) => {
        try {
          xmlToTree(b);
        } catch (e) {
          if (!isSoapError(e)) throw e;
        }
      },
    ),
    { numRuns: 3000 },
  );
});
