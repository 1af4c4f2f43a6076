// The [MC-NBFX] record model: what one record says, kept close to the wire so that reading then writing
// gives back the same bytes. Names and values may be literal strings or DictionaryString ids.

// A name or namespace: a literal string, or a DictionaryString id (even: static table, odd: session).
export type NbfxName = string | { dict: number };

// The text records. `t` names the record (its type byte without the WithEndElement bit); the writer writes
// exactly that record, so a decoded text re-encodes byte for byte.
export type NbfxText =
  | { t: 'zero' | 'one' | 'false' | 'true' | 'empty' }
  | { t: 'int8' | 'int16' | 'int32'; v: number }
  | { t: 'int64' | 'uint64' | 'timespan'; v: bigint }
  | { t: 'float' | 'double'; v: number }
  // 16 bytes as [MS-OAUT] DECIMAL lays them out.
  | { t: 'decimal'; bytes: Uint8Array }
  // The raw 64 bits: 62 bits of ticks since 0001-01-01, then 2 bits of kind (0 unspecified, 1 UTC, 2 local).
  | { t: 'datetime'; v: bigint }
  | { t: 'chars8' | 'chars16' | 'chars32' | 'unicode8' | 'unicode16' | 'unicode32'; v: string }
  | { t: 'bytes8' | 'bytes16' | 'bytes32'; v: Uint8Array }
  | { t: 'bool'; v: boolean }
  // The GUID in its usual lower-case text form, without `urn:uuid:` (UniqueIdText adds it when read as text).
  | { t: 'uuid' | 'unique-id'; v: string }
  | { t: 'dict'; id: number }
  // A prefix letter a-z and a DictionaryString id: `p:name`.
  | { t: 'qname'; prefix: string; id: number }
  // StartListText, the items, EndListText: the items' characters joined by single spaces.
  | { t: 'list'; items: NbfxText[] };

// The kind of a text record.
export type NbfxTextType = NbfxText['t'];

// One record (a *TextWithEndElement record is a text record with `end: true`).
export type NbfxRecord =
  | { kind: 'element'; prefix: string; name: NbfxName }
  | { kind: 'attribute'; prefix: string; name: NbfxName; value: NbfxText }
  | { kind: 'xmlns'; prefix: string; uri: NbfxName }
  | { kind: 'text'; value: NbfxText; end: boolean }
  | { kind: 'end' }
  | { kind: 'comment'; text: string }
  // Array: one element (with its attributes) repeated for each value; `data` holds `count` values of
  // `valueType`'s fixed size.
  | {
      kind: 'array';
      element: Extract<NbfxRecord, { kind: 'element' }>;
      attributes: Extract<NbfxRecord, { kind: 'attribute' | 'xmlns' }>[];
      valueType: ArrayValueType;
      count: number;
      data: Uint8Array;
    };

// Record type bytes ([MC-NBFX] 2.1.1). A-Z families start at the `...A` byte.
export const RT = {
  EndElement: 0x01,
  Comment: 0x02,
  Array: 0x03,
  ShortAttribute: 0x04,
  Attribute: 0x05,
  ShortDictionaryAttribute: 0x06,
  DictionaryAttribute: 0x07,
  ShortXmlnsAttribute: 0x08,
  XmlnsAttribute: 0x09,
  ShortDictionaryXmlnsAttribute: 0x0a,
  DictionaryXmlnsAttribute: 0x0b,
  PrefixDictionaryAttributeA: 0x0c,
  PrefixAttributeA: 0x26,
  ShortElement: 0x40,
  Element: 0x41,
  ShortDictionaryElement: 0x42,
  DictionaryElement: 0x43,
  PrefixDictionaryElementA: 0x44,
  PrefixElementA: 0x5e,
  StartListText: 0xa4,
  EndListText: 0xa6,
} as const;

// Text record type bytes (even; +1 is the WithEndElement form), by text kind.
export const TEXT_TYPE: Readonly<Record<Exclude<NbfxTextType, 'list'>, number>> = {
  zero: 0x80,
  one: 0x82,
  false: 0x84,
  true: 0x86,
  int8: 0x88,
  int16: 0x8a,
  int32: 0x8c,
  int64: 0x8e,
  float: 0x90,
  double: 0x92,
  decimal: 0x94,
  datetime: 0x96,
  chars8: 0x98,
  chars16: 0x9a,
  chars32: 0x9c,
  bytes8: 0x9e,
  bytes16: 0xa0,
  bytes32: 0xa2,
  empty: 0xa8,
  dict: 0xaa,
  'unique-id': 0xac,
  timespan: 0xae,
  uuid: 0xb0,
  uint64: 0xb2,
  bool: 0xb4,
  unicode8: 0xb6,
  unicode16: 0xb8,
  unicode32: 0xba,
  qname: 0xbc,
};

// Text kind of an even text record type byte.
export const TEXT_KIND: ReadonlyMap<number, Exclude<NbfxTextType, 'list'>> = new Map(
  Object.entries(TEXT_TYPE).map(([k, v]) => [v, k as Exclude<NbfxTextType, 'list'>]),
);

// The value types an Array record may carry (the WithEndElement record types) and each value's size.
export const ARRAY_VALUE_SIZE = {
  0xb5: 1, // bool
  0x8b: 2, // int16
  0x8d: 4, // int32
  0x8f: 8, // int64
  0x91: 4, // float
  0x93: 8, // double
  0x95: 16, // decimal
  0x97: 8, // datetime
  0xaf: 8, // timespan
  0xb1: 16, // uuid
} as const;
// A value type byte an Array record may carry.
export type ArrayValueType = keyof typeof ARRAY_VALUE_SIZE;

// Whether a byte is a value type an Array record may carry.
export const isArrayValueType = (b: number): b is ArrayValueType => Object.hasOwn(ARRAY_VALUE_SIZE, b);

// The prefix letter of an A-Z record family member (`a` for offset 0).
export const prefixLetter = (offset: number): string => String.fromCharCode(0x61 + offset);

// Offset of a one-letter lower-case prefix within an A-Z family, or -1 for any other prefix.
export const letterOffset = (prefix: string): number => {
  if (prefix.length !== 1) return -1;
  const c = prefix.charCodeAt(0) - 0x61;
  return c >= 0 && c < 26 ? c : -1;
};
