// Writes [MC-NBFX] records. Each record goes in the shortest form .NET's writer would pick for it, so bytes
// a .NET peer wrote read back and write out unchanged.

import { NbfxError, NbfxErrorCode } from './errors.ts';
import {
  ARRAY_VALUE_SIZE,
  letterOffset,
  type NbfxName,
  type NbfxRecord,
  type NbfxText,
  RT,
  TEXT_TYPE,
} from './records.ts';
import { guidToBytes } from './values.ts';

const utf8 = new TextEncoder();

// A growable little-endian byte buffer. Each write takes its offset from #room before touching #buf:
// #room may swap in a bigger buffer, and an expression that read #buf first would write into the old one.
export class ByteWriter {
  #buf = new Uint8Array(1024);
  #view = new DataView(this.#buf.buffer);
  length = 0;

  #room(n: number): number {
    if (this.length + n > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < this.length + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, this.length));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  u8(v: number): void {
    const at = this.#room(1);
    this.#buf[at] = v;
  }
  i8(v: number): void {
    const at = this.#room(1);
    this.#view.setInt8(at, v);
  }
  i16(v: number): void {
    const at = this.#room(2);
    this.#view.setInt16(at, v, true);
  }
  u16(v: number): void {
    const at = this.#room(2);
    this.#view.setUint16(at, v, true);
  }
  i32(v: number): void {
    const at = this.#room(4);
    this.#view.setInt32(at, v, true);
  }
  i64(v: bigint): void {
    const at = this.#room(8);
    this.#view.setBigInt64(at, v, true);
  }
  u64(v: bigint): void {
    const at = this.#room(8);
    this.#view.setBigUint64(at, v, true);
  }
  f32(v: number): void {
    const at = this.#room(4);
    this.#view.setFloat32(at, v, true);
  }
  f64(v: number): void {
    const at = this.#room(8);
    this.#view.setFloat64(at, v, true);
  }
  bytes(b: Uint8Array): void {
    const at = this.#room(b.length);
    this.#buf.set(b, at);
  }

  mbint(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new NbfxError(NbfxErrorCode.Unencodable, `MultiByteInt31 must be 0..2^31-1, got ${n}`);
    }
    let v = n;
    while (v >= 0x80) {
      this.u8((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.u8(v);
  }

  // A String: MultiByteInt31 byte length, then UTF-8.
  string(s: string): void {
    const b = utf8.encode(s);
    this.mbint(b.length);
    this.bytes(b);
  }

  // A copy of what was written.
  finish(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}

const fits = (n: number, max: number, what: string): number => {
  if (n > max)
    throw new NbfxError(NbfxErrorCode.Unencodable, `${what} of ${n} bytes does not fit its record`);
  return n;
};

const writeTextBody = (w: ByteWriter, x: Exclude<NbfxText, { t: 'list' }>): void => {
  switch (x.t) {
    case 'zero':
    case 'one':
    case 'false':
    case 'true':
    case 'empty':
      return;
    case 'int8':
      return w.i8(x.v);
    case 'int16':
      return w.i16(x.v);
    case 'int32':
      return w.i32(x.v);
    case 'int64':
    case 'timespan':
      return w.i64(x.v);
    case 'uint64':
    case 'datetime':
      return w.u64(x.v);
    case 'float':
      return w.f32(x.v);
    case 'double':
      return w.f64(x.v);
    case 'decimal':
      if (x.bytes.length !== 16) throw new NbfxError(NbfxErrorCode.Unencodable, 'a decimal is 16 bytes');
      return w.bytes(x.bytes);
    case 'chars8':
    case 'chars16':
    case 'chars32': {
      const b = utf8.encode(x.v);
      if (x.t === 'chars8') w.u8(fits(b.length, 0xff, 'Chars8Text'));
      else if (x.t === 'chars16') w.u16(fits(b.length, 0xffff, 'Chars16Text'));
      else w.i32(fits(b.length, 0x7fffffff, 'Chars32Text'));
      return w.bytes(b);
    }
    case 'unicode8':
    case 'unicode16':
    case 'unicode32': {
      const b = Buffer.from(x.v, 'utf16le');
      if (x.t === 'unicode8') w.u8(fits(b.length, 0xff, 'UnicodeChars8Text'));
      else if (x.t === 'unicode16') w.u16(fits(b.length, 0xffff, 'UnicodeChars16Text'));
      else w.i32(fits(b.length, 0x7fffffff, 'UnicodeChars32Text'));
      return w.bytes(b);
    }
    case 'bytes8':
      w.u8(fits(x.v.length, 0xff, 'Bytes8Text'));
      return w.bytes(x.v);
    case 'bytes16':
      w.u16(fits(x.v.length, 0xffff, 'Bytes16Text'));
      return w.bytes(x.v);
    case 'bytes32':
      w.i32(fits(x.v.length, 0x7fffffff, 'Bytes32Text'));
      return w.bytes(x.v);
    case 'bool':
      return w.u8(x.v ? 1 : 0);
    case 'uuid':
    case 'unique-id':
      return w.bytes(guidToBytes(x.v));
    case 'dict':
      return w.mbint(x.id);
    case 'qname': {
      const p = letterOffset(x.prefix);
      if (p < 0) throw new NbfxError(NbfxErrorCode.Unencodable, `QName prefix must be a-z, got ${x.prefix}`);
      w.u8(p);
      return w.mbint(x.id);
    }
  }
};

const writeText = (w: ByteWriter, x: NbfxText, end: boolean): void => {
  if (x.t === 'list') {
    if (end) throw new NbfxError(NbfxErrorCode.Unencodable, 'a list cannot end an element');
    w.u8(RT.StartListText);
    for (const i of x.items) {
      if (i.t === 'list') throw new NbfxError(NbfxErrorCode.Unencodable, 'a list inside a list');
      writeText(w, i, false);
    }
    w.u8(RT.EndListText);
    return;
  }
  w.u8(TEXT_TYPE[x.t] + (end ? 1 : 0));
  writeTextBody(w, x);
};

const isDict = (n: NbfxName): n is { dict: number } => typeof n !== 'string';

const writeName = (w: ByteWriter, n: NbfxName): void => {
  if (isDict(n)) w.mbint(n.dict);
  else {
    if (n.length === 0) throw new NbfxError(NbfxErrorCode.Unencodable, 'empty name');
    w.string(n);
  }
};

const writePrefix = (w: ByteWriter, prefix: string): void => {
  if (prefix.length === 0) throw new NbfxError(NbfxErrorCode.Unencodable, 'empty prefix');
  w.string(prefix);
};

// No prefix: the Short form; a one-letter a-z prefix: the Prefix[A-Z] family; else the general form.
// A dictionary name takes the dictionary variant of each.
const writeElement = (w: ByteWriter, r: Extract<NbfxRecord, { kind: 'element' }>): void => {
  const dict = isDict(r.name);
  const letter = letterOffset(r.prefix);
  if (r.prefix === '') w.u8(dict ? RT.ShortDictionaryElement : RT.ShortElement);
  else if (letter >= 0) w.u8((dict ? RT.PrefixDictionaryElementA : RT.PrefixElementA) + letter);
  else {
    w.u8(dict ? RT.DictionaryElement : RT.Element);
    writePrefix(w, r.prefix);
  }
  writeName(w, r.name);
};

const writeAttribute = (w: ByteWriter, r: Extract<NbfxRecord, { kind: 'attribute' | 'xmlns' }>): void => {
  if (r.kind === 'xmlns') {
    const dict = isDict(r.uri);
    if (r.prefix === '') w.u8(dict ? RT.ShortDictionaryXmlnsAttribute : RT.ShortXmlnsAttribute);
    else {
      w.u8(dict ? RT.DictionaryXmlnsAttribute : RT.XmlnsAttribute);
      writePrefix(w, r.prefix);
    }
    if (isDict(r.uri)) w.mbint(r.uri.dict);
    else w.string(r.uri);
    return;
  }
  const dict = isDict(r.name);
  const letter = letterOffset(r.prefix);
  if (r.prefix === '') w.u8(dict ? RT.ShortDictionaryAttribute : RT.ShortAttribute);
  else if (letter >= 0) w.u8((dict ? RT.PrefixDictionaryAttributeA : RT.PrefixAttributeA) + letter);
  else {
    w.u8(dict ? RT.DictionaryAttribute : RT.Attribute);
    writePrefix(w, r.prefix);
  }
  writeName(w, r.name);
  writeText(w, r.value, false);
};

// Appends records to a writer.
export const writeRecordsTo = (w: ByteWriter, records: Iterable<NbfxRecord>): void => {
  for (const r of records) {
    switch (r.kind) {
      case 'element':
        writeElement(w, r);
        break;
      case 'attribute':
      case 'xmlns':
        writeAttribute(w, r);
        break;
      case 'text':
        writeText(w, r.value, r.end);
        break;
      case 'end':
        w.u8(RT.EndElement);
        break;
      case 'comment':
        w.u8(RT.Comment);
        w.string(r.text);
        break;
      case 'array': {
        if (r.count < 1 || r.data.length !== r.count * ARRAY_VALUE_SIZE[r.valueType]) {
          throw new NbfxError(NbfxErrorCode.Unencodable, 'Array data does not match its count and type');
        }
        w.u8(RT.Array);
        writeElement(w, r.element);
        for (const a of r.attributes) writeAttribute(w, a);
        w.u8(RT.EndElement);
        w.u8(r.valueType);
        w.mbint(r.count);
        w.bytes(r.data);
        break;
      }
    }
  }
};

// Encodes records as bytes.
export const writeRecords = (records: Iterable<NbfxRecord>): Uint8Array => {
  const w = new ByteWriter();
  writeRecordsTo(w, records);
  return w.finish();
};
