// A bounds-checked reader over bytes: every read past the end throws NBFX_TRUNCATED, never a RangeError.

import { NbfxError, NbfxErrorCode } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16 = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

// Reads little-endian fields from bytes[start..end).
export class Cursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  #need(n: number): number {
    if (n > this.end - this.pos) {
      throw new NbfxError(
        NbfxErrorCode.Truncated,
        `needed ${n} more bytes, ${this.end - this.pos} left`,
        this.pos,
      );
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.#need(1)]!;
  }

  peek(): number {
    if (this.pos >= this.end) throw new NbfxError(NbfxErrorCode.Truncated, 'expected a record', this.pos);
    return this.bytes[this.pos]!;
  }

  i8(): number {
    return this.view.getInt8(this.#need(1));
  }
  i16(): number {
    return this.view.getInt16(this.#need(2), true);
  }
  u16(): number {
    return this.view.getUint16(this.#need(2), true);
  }
  i32(): number {
    return this.view.getInt32(this.#need(4), true);
  }
  u32(): number {
    return this.view.getUint32(this.#need(4), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.#need(8), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.#need(8), true);
  }
  f32(): number {
    return this.view.getFloat32(this.#need(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.#need(8), true);
  }

  // A view of the next n bytes (no copy).
  take(n: number): Uint8Array {
    const at = this.#need(n);
    return this.bytes.subarray(at, at + n);
  }

  // A non-negative INT32 length (Chars32Text, Bytes32Text, UnicodeChars32Text).
  length32(): number {
    const at = this.pos;
    const n = this.i32();
    if (n < 0) throw new NbfxError(NbfxErrorCode.BadLength, `negative length ${n}`, at);
    return n;
  }

  // MultiByteInt31: at most 5 bytes, at most 2^31-1 (a fifth byte above 0x07 is refused, as .NET does).
  mbint(): number {
    const at = this.pos;
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      if (i === 4 && (b & 0xf8) !== 0) {
        throw new NbfxError(NbfxErrorCode.BadLength, 'MultiByteInt31 above 2^31-1', at);
      }
      value |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return value >>> 0;
    }
    /* c8 ignore next */
    throw new NbfxError(NbfxErrorCode.BadLength, 'MultiByteInt31 longer than 5 bytes', at);
  }

  utf8(n: number): string {
    const at = this.pos;
    const b = this.take(n);
    try {
      return utf8.decode(b);
    } catch (e) {
      throw new NbfxError(NbfxErrorCode.BadString, `malformed UTF-8 (${(e as Error).message})`, at);
    }
  }

  utf16(n: number): string {
    const at = this.pos;
    if (n % 2 !== 0) throw new NbfxError(NbfxErrorCode.BadLength, `odd UTF-16 byte length ${n}`, at);
    const b = this.take(n);
    try {
      return utf16.decode(b);
    } catch (e) {
      throw new NbfxError(NbfxErrorCode.BadString, `malformed UTF-16 (${(e as Error).message})`, at);
    }
  }

  // A String: MultiByteInt31 length, then UTF-8.
  string(): string {
    return this.utf8(this.mbint());
  }
}
