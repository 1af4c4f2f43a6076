// Splitting byte streams at arbitrary points, to check that decoders accept any chunking.

import fc from 'fast-check';
import { type DecoderOptions, FramingDecoder, type FramingRecord } from '../../protocol/index.ts';

// Splits bytes at the given cut points (any order, duplicates and out-of-range cuts ignored).
export const splitAt = (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] => {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out.filter((c) => c.length > 0);
};

// Cut points for a stream of up to `max` bytes.
export const cutsArb = (max: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: Math.max(1, max) }), { maxLength: 40 });

// Decodes chunks with one decoder and returns every record.
export const decodeChunks = (chunks: readonly Uint8Array[], options?: DecoderOptions): FramingRecord[] => {
  const d = new FramingDecoder(options);
  const out: FramingRecord[] = [];
  for (const c of chunks) out.push(...d.push(c));
  d.end();
  return out;
};

export const hex = (h: string): Buffer => Buffer.from(h, 'hex');

// A form of records that compares by value whatever kind of byte array carries each payload.
export const canon = (records: readonly FramingRecord[]): unknown[] =>
  records.map((r) => {
    if (r.type === 'sized-envelope') return { type: r.type, payload: Buffer.from(r.payload).toString('hex') };
    if (r.type === 'unsized-envelope')
      return { type: r.type, chunks: r.chunks.map((c) => Buffer.from(c).toString('hex')) };
    return { ...r };
  });
