// Reads [MC-NBFX] records from bytes. Hand-written: no maintained npm package reads this format
// (`npm view nbfx` and `npm view msbin` find nothing; wcf.js speaks text and MTOM only).

import { Cursor } from './cursor.ts';
import { NbfxError, NbfxErrorCode } from './errors.ts';
import {
  ARRAY_VALUE_SIZE,
  type ArrayValueType,
  isArrayValueType,
  type NbfxName,
  type NbfxRecord,
  type NbfxText,
  prefixLetter,
  RT,
  TEXT_KIND,
} from './records.ts';
import { guidFromBytes } from './values.ts';

type ElementRecord = Extract<NbfxRecord, { kind: 'element' }>;
type AttributeRecord = Extract<NbfxRecord, { kind: 'attribute' | 'xmlns' }>;

// Largest valid DateTime tick count (exclusive): 10000-01-01.
const MAX_TICKS = 3155378976000000000n;

const nonEmpty = (c: Cursor, what: string): string => {
  const at = c.pos;
  const s = c.string();
  if (s.length === 0) throw new NbfxError(NbfxErrorCode.BadValue, `empty ${what}`, at);
  return s;
};

// Reads the value of a text record whose (even) type byte was just read.
const readTextValue = (c: Cursor, type: number, at: number): NbfxText => {
  const t = TEXT_KIND.get(type);
  switch (t) {
    case undefined:
      throw new NbfxError(NbfxErrorCode.UnknownRecord, `0x${type.toString(16)} is not a text record`, at);
    case 'zero':
    case 'one':
    case 'false':
    case 'true':
    case 'empty':
      return { t };
    case 'int8':
      return { t, v: c.i8() };
    case 'int16':
      return { t, v: c.i16() };
    case 'int32':
      return { t, v: c.i32() };
    case 'int64':
    case 'timespan':
      return { t, v: c.i64() };
    case 'uint64':
      return { t, v: c.u64() };
    case 'float':
      return { t, v: c.f32() };
    case 'double':
      return { t, v: c.f64() };
    case 'decimal': {
      const vat = c.pos;
      const bytes = c.take(16);
      // .NET's decimal: two reserved bytes of zero, scale 0-28, sign byte 0x00 or 0x80.
      if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2]! > 28 || (bytes[3] !== 0 && bytes[3] !== 0x80)) {
        throw new NbfxError(NbfxErrorCode.BadValue, 'malformed DecimalText', vat);
      }
      return { t, bytes };
    }
    case 'datetime': {
      const vat = c.pos;
      const v = c.u64();
      if (v >> 62n === 3n || (v & ((1n << 62n) - 1n)) >= MAX_TICKS) {
        throw new NbfxError(NbfxErrorCode.BadValue, 'DateTimeText out of range', vat);
      }
      return { t, v };
    }
    case 'chars8':
      return { t, v: c.utf8(c.u8()) };
    case 'chars16':
      return { t, v: c.utf8(c.u16()) };
    case 'chars32':
      return { t, v: c.utf8(c.length32()) };
    case 'unicode8':
      return { t, v: c.utf16(c.u8()) };
    case 'unicode16':
      return { t, v: c.utf16(c.u16()) };
    case 'unicode32':
      // [MC-NBFX] says MultiByteInt31 here; .NET's reader and writer use INT32 like Chars32Text.
      return { t, v: c.utf16(c.length32()) };
    case 'bytes8':
      return { t, v: c.take(c.u8()) };
    case 'bytes16':
      return { t, v: c.take(c.u16()) };
    case 'bytes32':
      return { t, v: c.take(c.length32()) };
    case 'bool': {
      const vat = c.pos;
      const b = c.u8();
      if (b > 1) throw new NbfxError(NbfxErrorCode.BadValue, `BoolText byte ${b}`, vat);
      return { t, v: b === 1 };
    }
    case 'uuid':
    case 'unique-id':
      return { t, v: guidFromBytes(c.take(16)) };
    case 'dict':
      return { t, id: c.mbint() };
    case 'qname': {
      const vat = c.pos;
      const p = c.u8();
      if (p > 25) throw new NbfxError(NbfxErrorCode.BadValue, `QName prefix ${p}`, vat);
      return { t, prefix: prefixLetter(p), id: c.mbint() };
    }
  }
};

// An attribute's value: one text record (not a WithEndElement one), or StartListText ... EndListText.
const readAttributeValue = (c: Cursor): NbfxText => {
  const at = c.pos;
  const type = c.u8();
  if (type === RT.StartListText) {
    const items: NbfxText[] = [];
    for (;;) {
      const iat = c.pos;
      const it = c.u8();
      if (it === RT.EndListText) return { t: 'list', items };
      if ((it & 1) !== 0 || it === RT.StartListText || !TEXT_KIND.has(it)) {
        throw new NbfxError(NbfxErrorCode.UnexpectedRecord, `0x${it.toString(16)} inside a list`, iat);
      }
      items.push(readTextValue(c, it, iat));
    }
  }
  if ((type & 1) !== 0 || !TEXT_KIND.has(type)) {
    throw new NbfxError(NbfxErrorCode.UnexpectedRecord, `0x${type.toString(16)} as an attribute value`, at);
  }
  return readTextValue(c, type, at);
};

const dictName = (c: Cursor): NbfxName => ({ dict: c.mbint() });

// Reads an element record whose type byte was just read, or undefined when the byte starts no element.
const readElement = (c: Cursor, type: number): ElementRecord | undefined => {
  if (type === RT.ShortElement) return { kind: 'element', prefix: '', name: nonEmpty(c, 'element name') };
  if (type === RT.Element) {
    const prefix = nonEmpty(c, 'element prefix');
    return { kind: 'element', prefix, name: nonEmpty(c, 'element name') };
  }
  if (type === RT.ShortDictionaryElement) return { kind: 'element', prefix: '', name: dictName(c) };
  if (type === RT.DictionaryElement) {
    const prefix = nonEmpty(c, 'element prefix');
    return { kind: 'element', prefix, name: dictName(c) };
  }
  if (type >= RT.PrefixDictionaryElementA && type < RT.PrefixDictionaryElementA + 26) {
    return { kind: 'element', prefix: prefixLetter(type - RT.PrefixDictionaryElementA), name: dictName(c) };
  }
  if (type >= RT.PrefixElementA && type < RT.PrefixElementA + 26) {
    return {
      kind: 'element',
      prefix: prefixLetter(type - RT.PrefixElementA),
      name: nonEmpty(c, 'element name'),
    };
  }
  return undefined;
};

// Reads an attribute or xmlns record whose type byte was just read, or undefined for any other byte.
const readAttribute = (c: Cursor, type: number): AttributeRecord | undefined => {
  switch (type) {
    case RT.ShortAttribute: {
      const name = nonEmpty(c, 'attribute name');
      return { kind: 'attribute', prefix: '', name, value: readAttributeValue(c) };
    }
    case RT.Attribute: {
      const prefix = nonEmpty(c, 'attribute prefix');
      const name = nonEmpty(c, 'attribute name');
      return { kind: 'attribute', prefix, name, value: readAttributeValue(c) };
    }
    case RT.ShortDictionaryAttribute: {
      const name = dictName(c);
      return { kind: 'attribute', prefix: '', name, value: readAttributeValue(c) };
    }
    case RT.DictionaryAttribute: {
      const prefix = nonEmpty(c, 'attribute prefix');
      const name = dictName(c);
      return { kind: 'attribute', prefix, name, value: readAttributeValue(c) };
    }
    case RT.ShortXmlnsAttribute:
      return { kind: 'xmlns', prefix: '', uri: c.string() };
    case RT.XmlnsAttribute: {
      const prefix = nonEmpty(c, 'xmlns prefix');
      return { kind: 'xmlns', prefix, uri: c.string() };
    }
    case RT.ShortDictionaryXmlnsAttribute:
      return { kind: 'xmlns', prefix: '', uri: dictName(c) };
    case RT.DictionaryXmlnsAttribute: {
      const prefix = nonEmpty(c, 'xmlns prefix');
      return { kind: 'xmlns', prefix, uri: dictName(c) };
    }
  }
  if (type >= RT.PrefixDictionaryAttributeA && type < RT.PrefixDictionaryAttributeA + 26) {
    const name = dictName(c);
    const prefix = prefixLetter(type - RT.PrefixDictionaryAttributeA);
    return { kind: 'attribute', prefix, name, value: readAttributeValue(c) };
  }
  if (type >= RT.PrefixAttributeA && type < RT.PrefixAttributeA + 26) {
    const name = nonEmpty(c, 'attribute name');
    const prefix = prefixLetter(type - RT.PrefixAttributeA);
    return { kind: 'attribute', prefix, name, value: readAttributeValue(c) };
  }
  return undefined;
};

const readArray = (c: Cursor, at: number): NbfxRecord => {
  const et = c.u8();
  const element = readElement(c, et);
  if (element === undefined) {
    throw new NbfxError(
      NbfxErrorCode.UnexpectedRecord,
      `Array must start with an element, got 0x${et.toString(16)}`,
      at,
    );
  }
  const attributes: AttributeRecord[] = [];
  for (;;) {
    const aat = c.pos;
    const t = c.u8();
    if (t === RT.EndElement) break;
    const a = readAttribute(c, t);
    if (a === undefined) {
      throw new NbfxError(
        NbfxErrorCode.UnexpectedRecord,
        `0x${t.toString(16)} inside an Array's element`,
        aat,
      );
    }
    attributes.push(a);
  }
  const vat = c.pos;
  const valueType = c.u8();
  if (!isArrayValueType(valueType)) {
    throw new NbfxError(NbfxErrorCode.BadValue, `Array value type 0x${valueType.toString(16)}`, vat);
  }
  const cat = c.pos;
  const count = c.mbint();
  if (count === 0) throw new NbfxError(NbfxErrorCode.BadLength, 'Array of zero values', cat);
  const data = c.take(count * ARRAY_VALUE_SIZE[valueType]);
  return { kind: 'array', element, attributes, valueType, count, data };
};

// Reads every record in bytes[start..end). Syntax only: whether the records nest is the tree's business.
export const readRecords = (bytes: Uint8Array, start = 0, end = bytes.length): NbfxRecord[] => {
  const c = new Cursor(bytes, start, end);
  const out: NbfxRecord[] = [];
  while (!c.done) {
    const at = c.pos;
    const type = c.u8();
    if (type === RT.EndElement) {
      out.push({ kind: 'end' });
      continue;
    }
    if (type === RT.Comment) {
      out.push({ kind: 'comment', text: c.string() });
      continue;
    }
    if (type === RT.Array) {
      out.push(readArray(c, at));
      continue;
    }
    const el = readElement(c, type);
    if (el !== undefined) {
      out.push(el);
      continue;
    }
    const attr = readAttribute(c, type);
    if (attr !== undefined) {
      out.push(attr);
      continue;
    }
    if (type === RT.StartListText || type === RT.EndListText) {
      throw new NbfxError(NbfxErrorCode.UnexpectedRecord, 'a list outside an attribute', at);
    }
    if (type >= 0x80 && TEXT_KIND.has(type & 0xfe)) {
      out.push({ kind: 'text', value: readTextValue(c, type & 0xfe, at), end: (type & 1) === 1 });
      continue;
    }
    throw new NbfxError(NbfxErrorCode.UnknownRecord, `reserved record type 0x${type.toString(16)}`, at);
  }
  return out;
};

// The values of an Array record, as the text records they stand for.
export const arrayValues = (valueType: ArrayValueType, count: number, data: Uint8Array): NbfxText[] => {
  const c = new Cursor(data);
  const out: NbfxText[] = [];
  for (let i = 0; i < count; i++) out.push(readTextValue(c, valueType & 0xfe, c.pos));
  return out;
};
