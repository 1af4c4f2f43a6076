// Encodes records to bytes. It writes anything the wire can carry, even values a peer would
// refuse (a 3000-byte via, major version 2), so chaos tests can send exactly the bad input they mean.

import { mbintSize, writeMbint } from './mbint.ts';
import { type FramingRecord, RecordType, typeByteOf } from './records.ts';

const utf8 = new TextEncoder();

// Size in bytes of a record once encoded.
export const encodedSize = (r: FramingRecord): number => {
  switch (r.type) {
    case 'version':
      return 3;
    case 'mode':
    case 'known-encoding':
      return 2;
    case 'via':
      return stringRecordSize(utf8.encode(r.via).length);
    case 'extensible-encoding':
      return stringRecordSize(utf8.encode(r.contentType).length);
    case 'fault':
      return stringRecordSize(utf8.encode(r.uri).length);
    case 'upgrade-request':
      return stringRecordSize(utf8.encode(r.protocol).length);
    case 'sized-envelope':
      return 1 + mbintSize(r.payload.length) + r.payload.length;
    case 'unsized-envelope':
      return r.chunks.reduce((n, c) => n + mbintSize(c.length) + c.length, 1) + 1;
    default:
      return 1;
  }
};

const stringRecordSize = (n: number): number => 1 + mbintSize(n) + n;

const byteInRange = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new RangeError(`${name} must be a byte (0-255), got ${v}`);
  return v;
};

// Writes r into out at offset; returns the offset after it. out must have encodedSize(r) bytes free.
export const writeRecord = (r: FramingRecord, out: Uint8Array, offset: number): number => {
  let o = offset;
  out[o++] = typeByteOf[r.type];
  switch (r.type) {
    case 'version':
      out[o++] = byteInRange('major version', r.major);
      out[o++] = byteInRange('minor version', r.minor);
      return o;
    case 'mode':
      out[o++] = byteInRange('mode', r.mode);
      return o;
    case 'known-encoding':
      out[o++] = byteInRange('known encoding', r.encoding);
      return o;
    case 'via':
      return writeBytes(utf8.encode(r.via), out, o);
    case 'extensible-encoding':
      return writeBytes(utf8.encode(r.contentType), out, o);
    case 'fault':
      return writeBytes(utf8.encode(r.uri), out, o);
    case 'upgrade-request':
      return writeBytes(utf8.encode(r.protocol), out, o);
    case 'sized-envelope':
      return writeBytes(r.payload, out, o);
    case 'unsized-envelope':
      for (const chunk of r.chunks) {
        // A zero-length chunk would read back as the terminator.
        if (chunk.length === 0) throw new RangeError('an unsized envelope chunk must not be empty');
        o = writeBytes(chunk, out, o);
      }
      out[o++] = 0x00;
      return o;
    default:
      return o;
  }
};

const writeBytes = (bytes: Uint8Array, out: Uint8Array, offset: number): number => {
  const o = writeMbint(bytes.length, out, offset);
  out.set(bytes, o);
  return o + bytes.length;
};

// Encodes one record.
export const encodeRecord = (r: FramingRecord): Buffer => {
  const out = Buffer.allocUnsafe(encodedSize(r));
  writeRecord(r, out, 0);
  return out;
};

// Encodes records back to back into one buffer (one socket write).
export const encodeRecords = (records: readonly FramingRecord[]): Buffer => {
  const out = Buffer.allocUnsafe(records.reduce((n, r) => n + encodedSize(r), 0));
  let o = 0;
  for (const r of records) o = writeRecord(r, out, o);
  return out;
};

// The header of a sized envelope (type byte and size), so a payload can be written after it without copying.
export const sizedEnvelopeHeader = (size: number): Buffer => {
  const out = Buffer.allocUnsafe(1 + mbintSize(size));
  out[0] = RecordType.SizedEnvelope;
  writeMbint(size, out, 1);
  return out;
};
