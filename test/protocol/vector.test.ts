import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { encodeRecords, type FramingRecord } from '../../protocol/index.ts';
import { wcfBinarySession, wcfVia } from '../fixtures/wcf-binary-session.ts';
import { canon, cutsArb, decodeChunks, hex, splitAt } from '../helpers/chunking.ts';

const stream = (dir: 'c>s' | 's>c'): Buffer =>
  Buffer.concat(wcfBinarySession.filter((w) => w.dir === dir).map((w) => hex(w.hex)));

// What each side's records must be, as the capture's README lists them.
const shape = (rs: FramingRecord[]): unknown[] =>
  rs.map((r) => (r.type === 'sized-envelope' ? { type: r.type, size: r.payload.length } : r));

const clientRecords = [
  { type: 'version', major: 1, minor: 0 },
  { type: 'mode', mode: 2 },
  { type: 'via', via: wcfVia },
  { type: 'known-encoding', encoding: 8 },
  { type: 'preamble-end' },
  { type: 'sized-envelope', size: 176 },
  { type: 'sized-envelope', size: 66 },
  { type: 'end' },
];
const serverRecords = [
  { type: 'preamble-ack' },
  { type: 'sized-envelope', size: 317 },
  { type: 'sized-envelope', size: 219 },
  { type: 'end' },
];

t.test('the captured client stream decodes to exactly the listed records', async (t) => {
  const writes = wcfBinarySession.filter((w) => w.dir === 'c>s').map((w) => hex(w.hex));
  t.same(shape(decodeChunks(writes)), clientRecords);
});

t.test('the captured server stream decodes to exactly the listed records', async (t) => {
  const writes = wcfBinarySession.filter((w) => w.dir === 's>c').map((w) => hex(w.hex));
  t.same(shape(decodeChunks(writes)), serverRecords);
});

t.test('re-encoding the decoded records gives back the captured bytes, byte for byte', async (t) => {
  for (const dir of ['c>s', 's>c'] as const) {
    const bytes = stream(dir);
    t.equal(Buffer.compare(encodeRecords(decodeChunks([bytes])), bytes), 0, dir);
  }
});

t.test('envelope payloads are the captured bytes after the size', async (t) => {
  const [first] = decodeChunks([stream('c>s')]).filter((r) => r.type === 'sized-envelope');
  const capture = hex(wcfBinarySession.find((w) => w.hex.startsWith('06b001'))!.hex);
  t.ok(first && first.type === 'sized-envelope' && Buffer.from(first.payload).equals(capture.subarray(3)));
});

t.test('any chunking of either stream decodes to the same records', async (t) => {
  for (const dir of ['c>s', 's>c'] as const) {
    const bytes = stream(dir);
    const whole = canon(decodeChunks([bytes]));
    fc.assert(
      fc.property(cutsArb(bytes.length), (cuts) =>
        isDeepStrictEqual(canon(decodeChunks(splitAt(bytes, cuts))), whole),
      ),
      { numRuns: 500 },
    );
    // The worst case: one byte at a time.
    t.same(canon(decodeChunks([...bytes].map((b) => Uint8Array.of(b)))), whole, `${dir} byte by byte`);
  }
});
