import fc from 'fast-check';
import t from 'tap';
import {
  isNbfxError,
  NbfxErrorCode,
  readRecords,
  recordsToTree,
  treeToXml,
} from '../../../protocol/index.ts';

const hex = (h: string): Uint8Array => Buffer.from(h.replaceAll(' ', ''), 'hex');
// Dictionary strings as [MC-NBFX]'s examples show them: strN.
const strN = (id: number): string => `str${id}`;
const xmlOf = (h: string): string =>
  Buffer.from(treeToXml(recordsToTree(readRecords(hex(h)), strN))).toString('utf8');

// [MC-NBFX] section 3: one document per record type, and the XML it stands for.
const examples: [string, string, string][] = [
  ['EndElement', '40 03 64 6F 63 01', '<doc/>'],
  ['Comment', '02 07 63 6F 6D 6D 65 6E 74 40 03 64 6F 63 01', '<doc/>'],
  [
    'Array',
    '03 40 03 61 72 72 01 8B 03 33 33 88 88 DD DD',
    '<arr>13107</arr><arr>-30584</arr><arr>-8739</arr>',
  ],
  ['ShortAttribute', '40 03 64 6F 63 04 04 61 74 74 72 84 01', '<doc attr="false"/>'],
  [
    'Attribute',
    '40 03 64 6F 63 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 05 03 70 72 65 04 61 74 74 72 84 01',
    '<doc xmlns:pre="http://abc" pre:attr="false"/>',
  ],
  ['ShortDictionaryAttribute', '40 03 64 6F 63 06 08 86 01', '<doc str8="true"/>'],
  [
    'ShortXmlnsAttribute',
    '40 03 64 6F 63 08 0A 68 74 74 70 3A 2F 2F 61 62 63 01',
    '<doc xmlns="http://abc"/>',
  ],
  ['DictionaryXmlnsAttribute', '40 03 64 6F 63 0B 01 70 04 01', '<doc xmlns:p="str4"/>'],
  [
    'PrefixDictionaryAttributeF',
    '40 03 64 6F 63 09 01 66 0A 68 74 74 70 3A 2F 2F 61 62 63 11 0B 98 05 68 65 6C 6C 6F 01',
    '<doc xmlns:f="http://abc" f:str11="hello"/>',
  ],
  [
    'PrefixAttributeZ',
    '40 03 64 6F 63 09 01 7A 0A 68 74 74 70 3A 2F 2F 61 62 63 3F 03 61 62 63 98 03 78 79 7A 01',
    '<doc xmlns:z="http://abc" z:abc="xyz"/>',
  ],
  [
    'Element',
    '41 03 70 72 65 03 64 6F 63 09 03 70 72 65 0A 68 74 74 70 3A 2F 2F 61 62 63 01',
    '<pre:doc xmlns:pre="http://abc"/>',
  ],
  ['ShortDictionaryElement', '42 0E 01', '<str14/>'],
  [
    'PrefixDictionaryElementS',
    '56 26 09 01 73 0A 68 74 74 70 3A 2F 2F 61 62 63 01',
    '<s:str38 xmlns:s="http://abc"/>',
  ],
  [
    'PrefixElementA',
    '5E 05 68 65 6C 6C 6F 09 01 61 0A 68 74 74 70 3A 2F 2F 61 62 63 01',
    '<a:hello xmlns:a="http://abc"/>',
  ],
  ['ZeroText', '40 03 64 6F 63 06 A0 03 80 01', '<doc str416="0"/>'],
  ['OneTextWithEndElement', '40 03 61 62 63 83', '<abc>1</abc>'],
  ['Int8Text', '40 03 64 6F 63 06 EC 01 88 DE 01', '<doc str236="-34"/>'],
  ['Int16TextWithEndElement', '42 9A 01 8B FF 7F', '<str154>32767</str154>'],
  ['Int32Text', '40 03 64 6F 63 06 EC 01 8C 15 CD 5B 07 01', '<doc str236="123456789"/>'],
  ['Int64TextWithEndElement', '42 9A 01 8F 00 00 00 00 00 01 00 00', '<str154>1099511627776</str154>'],
  ['FloatText', '40 03 64 6F 63 04 01 61 90 CD CC 8C 3F 01', '<doc a="1.1"/>'],
  ['FloatTextWithEndElement', '40 05 50 72 69 63 65 91 CD CC 01 42', '<Price>32.45</Price>'],
  ['DoubleTextWithEndElement', '40 02 50 49 93 11 2D 44 54 FB 21 09 40', '<PI>3.14159265358979</PI>'],
  [
    'DecimalText',
    '40 03 64 6F 63 04 03 69 6E 74 94 00 00 06 00 00 00 00 00 80 2D 4E 00 00 00 00 00 01',
    '<doc int="5.123456"/>',
  ],
  [
    'DecimalTextWithEndElement',
    '40 08 4D 61 78 56 61 6C 75 65 95 00 00 00 00 FF FF FF FF FF FF FF FF FF FF FF FF',
    '<MaxValue>79228162514264337593543950335</MaxValue>',
  ],
  [
    'DateTimeText',
    '40 03 64 6F 63 06 6E 96 FF 3F 37 F4 75 28 CA 2B 01',
    '<doc str110="9999-12-31T23:59:59.9999999"/>',
  ],
  ['DateTimeTextWithEndElement', '42 6C 97 00 40 8E F9 5B 47 C8 08', '<str108>2006-05-17T00:00:00</str108>'],
  ['Chars16Text', '40 03 64 6F 63 9A 05 00 68 65 6C 6C 6F 01', '<doc>hello</doc>'],
  ['Chars32TextWithEndElement', '40 01 61 9D 05 00 00 00 68 65 6C 6C 6F', '<a>hello</a>'],
  ['Bytes8Text', '40 03 64 6F 63 9E 08 00 01 02 03 04 05 06 07 01', '<doc>AAECAwQFBgc=</doc>'],
  [
    'Bytes32TextWithEndElement',
    '40 06 42 61 73 65 36 34 A3 08 00 00 00 00 01 02 03 04 05 06 07',
    '<Base64>AAECAwQFBgc=</Base64>',
  ],
  [
    'StartListText',
    '40 03 64 6F 63 04 01 61 A4 88 7B 98 05 68 65 6C 6C 6F 86 A6 01',
    '<doc a="123 hello true"/>',
  ],
  ['EmptyText', '40 03 64 6F 63 04 01 61 A8 01', '<doc a=""/>'],
  ['EmptyTextWithEndElement', '40 03 64 6F 63 A9', '<doc/>'],
  ['DictionaryTextWithEndElement', '40 04 54 79 70 65 AB C4 01', '<Type>str196</Type>'],
  [
    'UniqueIdText',
    '40 03 64 6F 63 AC 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 01',
    '<doc>urn:uuid:33221100-5544-7766-8899-aabbccddeeff</doc>',
  ],
  ['TimeSpanText', '40 03 64 6F 63 AE 00 C4 F5 32 FF FF FF FF 01', '<doc>-PT5M44S</doc>'],
  ['TimeSpanTextWithEndElement', '42 94 07 AF 00 B0 8E F0 1B 00 00 00', '<str916>PT3H20M</str916>'],
  [
    'UuidTextWithEndElement',
    '40 02 49 44 B1 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F',
    '<ID>03020100-0504-0706-0809-0a0b0c0d0e0f</ID>',
  ],
  ['UInt64Text', '40 03 64 6F 63 B2 FF FF FF FF FF FF FF FF 01', '<doc>18446744073709551615</doc>'],
  ['BoolText', '40 03 64 6F 63 B4 01 01', '<doc>true</doc>'],
  ['UnicodeChars8Text', '40 03 64 6F 63 B6 06 41 00 42 00 43 00 01', '<doc>ABC</doc>'],
  ['QNameDictionaryTextWithEndElement', '40 03 64 6F 63 BD 01 08', '<doc>b:str8</doc>'],
];

t.test('each record type of the specification reads as the XML it stands for', async (t) => {
  for (const [name, h, xml] of examples) {
    // Array expands to sibling elements; give it a parent so the tree has one root.
    if (name === 'Array') t.equal(xmlOf(`40 01 72 ${h} 01`), `<r>${xml}</r>`, name);
    else t.equal(xmlOf(h), xml, name);
  }
});

t.test('WithEndElement text closes the element it is in', async (t) => {
  const rs = readRecords(hex('40 01 61 99 05 68 65 6C 6C 6F'));
  t.same(rs, [
    { kind: 'element', prefix: '', name: 'a' },
    { kind: 'text', value: { t: 'chars8', v: 'hello' }, end: true },
  ]);
});

const codeOf = (h: string): string | undefined => {
  try {
    readRecords(hex(h));
    return undefined;
  } catch (e) {
    return isNbfxError(e) ? e.code : `not typed: ${String(e)}`;
  }
};

t.test('bad bytes throw NbfxError with the code that names the problem', async (t) => {
  t.equal(codeOf('00'), NbfxErrorCode.UnknownRecord, 'reserved 0x00');
  t.equal(codeOf('78'), NbfxErrorCode.UnknownRecord, 'reserved 0x78');
  t.equal(codeOf('A5'), NbfxErrorCode.UnknownRecord, 'reserved 0xA5');
  t.equal(codeOf('BE'), NbfxErrorCode.UnknownRecord, 'reserved 0xBE');
  t.equal(codeOf('40 05 61 62'), NbfxErrorCode.Truncated, 'name shorter than its length');
  t.equal(codeOf('40 80 80 80 80 08'), NbfxErrorCode.BadLength, 'MultiByteInt31 above 2^31-1');
  t.equal(codeOf('40 02 C3 28'), NbfxErrorCode.BadString, 'malformed UTF-8');
  t.equal(codeOf('B6 03 41 00 42'), NbfxErrorCode.BadLength, 'odd UTF-16 length');
  t.equal(codeOf('B6 02 00 D8'), NbfxErrorCode.BadString, 'lone surrogate in UTF-16');
  t.equal(codeOf('9C FF FF FF FF'), NbfxErrorCode.BadLength, 'negative Chars32Text length');
  t.equal(codeOf('B4 02'), NbfxErrorCode.BadValue, 'BoolText of 2');
  t.equal(codeOf('96 00 00 00 00 00 00 00 C0'), NbfxErrorCode.BadValue, 'DateTime kind 3');
  t.equal(
    codeOf('94 00 00 1D 00 00 00 00 00 00 00 00 00 00 00 00 00'),
    NbfxErrorCode.BadValue,
    'decimal scale 29',
  );
  t.equal(codeOf('BC 1A 00'), NbfxErrorCode.BadValue, 'QName prefix past z');
  t.equal(codeOf('40 00'), NbfxErrorCode.BadValue, 'empty element name');
  t.equal(codeOf('A4 86 A6'), NbfxErrorCode.UnexpectedRecord, 'a list in element content');
  t.equal(codeOf('04 01 61 87'), NbfxErrorCode.UnexpectedRecord, 'WithEndElement text as an attribute value');
  t.equal(codeOf('03 40 01 61 01 8B 00'), NbfxErrorCode.BadLength, 'Array of zero values');
  t.equal(codeOf('03 40 01 61 01 99 01 00'), NbfxErrorCode.BadValue, 'Array of Chars8Text');
  t.equal(codeOf('03 40 01 61 01 8D 02 01 00 00 00'), NbfxErrorCode.Truncated, 'Array data cut short');
});

t.test('random bytes only ever throw NbfxError', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      try {
        readRecords(b);
      } catch (e) {
        if (!isNbfxError(e)) throw e;
      }
    }),
    { numRuns: 5000 },
  );
});

t.test('random records-like bytes (record type bytes first) only ever throw NbfxError', async () => {
  const typed = fc.array(
    fc.oneof(
      fc.integer({ min: 0x00, max: 0x0b }),
      fc.integer({ min: 0x40, max: 0x45 }),
      fc.integer({ min: 0x80, max: 0xbd }),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 120 },
  );
  fc.assert(
    fc.property(typed, (a) => {
      try {
        readRecords(Uint8Array.from(a));
      } catch (e) {
        if (!isNbfxError(e)) throw e;
      }
    }),
    { numRuns: 5000 },
  );
});
