// mbint: the variable-length unsigned integer of MC-NMF (7 bits a byte, little-endian groups).

import { FramingError, FramingErrorCode } from './errors.ts';
import { MBINT_MAX, MBINT_MAX_BYTES } from './limits.ts';

// Bytes needed to encode n.
export const mbintSize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;

// Writes n at buf[offset..] and returns the offset after it. n must be an integer in 0..2^31-1.
export const writeMbint = (n: number, buf: Uint8Array, offset: number): number => {
  if (!Number.isInteger(n) || n < 0 || n > MBINT_MAX) {
    throw new RangeError(`mbint must be an integer from 0 to ${MBINT_MAX}, got ${n}`);
  }
  let v = n;
  let o = offset;
  while (v >= 0x80) {
    buf[o++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[o++] = v;
  return o;
};

// Encodes n as a fresh byte array.
export const encodeMbint = (n: number): Uint8Array => {
  const out = new Uint8Array(mbintSize(n));
  writeMbint(n, out, 0);
  return out;
};

// Incremental mbint reader, fed one byte at a time, so a value may straddle any chunk boundary.
// Accepts overlong forms (0x80 0x00 is 0) like .NET; rejects a fifth byte with any bit of 0xF8.
export class MbintReader {
  #value = 0;
  #index = 0;

  // Feeds one byte; returns the value when complete, or -1 when more bytes are needed.
  feed(byte: number, offset: number): number {
    if (this.#index === MBINT_MAX_BYTES - 1 && (byte & 0xf8) !== 0) {
      throw new FramingError(
        FramingErrorCode.MbintOverflow,
        `mbint larger than ${MBINT_MAX} at byte ${offset}`,
        {
          offset,
        },
      );
    }
    this.#value |= (byte & 0x7f) << (this.#index * 7);
    this.#index++;
    if ((byte & 0x80) !== 0) return -1;
    const v = this.#value >>> 0;
    this.#value = 0;
    this.#index = 0;
    return v;
  }

  // Whether a value has started but not finished.
  get pending(): boolean {
    return this.#index > 0;
  }
}

// Decodes one mbint at buf[offset..]; returns the value and bytes used, or undefined if buf ends first.
export const decodeMbint = (buf: Uint8Array, offset = 0): { value: number; size: number } | undefined => {
  const r = new MbintReader();
  for (let i = offset; i < buf.length; i++) {
    const v = r.feed(buf[i]!, i);
    if (v >= 0) return { value: v, size: i - offset + 1 };
  }
  return undefined;
};
