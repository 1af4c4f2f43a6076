import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import {
  encodedSize,
  encodeRecord,
  encodeRecords,
  FAULT_NAMES,
  FramingDecoder,
  FramingError,
  FramingErrorCode,
  type FramingRecord,
  type RecordKind,
} from '../../protocol/index.ts';
import { canon, cutsArb, decodeChunks, hex, splitAt } from '../helpers/chunking.ts';
import { recordArb } from '../helpers/records.ts';

t.test('decode(encode(r)) equals r for every record kind, under any chunking', async (t) => {
  const seen = new Set<RecordKind>();
  fc.assert(
    fc.property(fc.array(recordArb, { minLength: 1, maxLength: 12 }), cutsArb(4000), (records, cuts) => {
      for (const r of records) seen.add(r.type);
      const bytes = encodeRecords(records);
      return isDeepStrictEqual(canon(decodeChunks(splitAt(bytes, cuts))), canon(records));
    }),
    { numRuns: 1500 },
  );
  t.equal(seen.size, 13, 'all 13 record kinds were generated');
});

t.test('encodedSize is the length encodeRecord writes', async (t) => {
  fc.assert(fc.property(recordArb, (r) => encodeRecord(r).length === encodedSize(r)));
  t.pass();
});

t.test('the type byte of each record', async (t) => {
  const bytes: [FramingRecord, string][] = [
    [{ type: 'version', major: 1, minor: 0 }, '000100'],
    [{ type: 'mode', mode: 2 }, '0102'],
    [{ type: 'via', via: 'net.tcp://a/' }, '020c6e65742e7463703a2f2f612f'],
    [{ type: 'known-encoding', encoding: 8 }, '0308'],
    [{ type: 'extensible-encoding', contentType: 'x' }, '040178'],
    [{ type: 'unsized-envelope', chunks: [Uint8Array.of(1, 2), Uint8Array.of(3)] }, '050201020103' + '00'],
    [{ type: 'sized-envelope', payload: Uint8Array.of(9) }, '060109'],
    [{ type: 'end' }, '07'],
    [{ type: 'fault', uri: 'f' }, '080166'],
    [{ type: 'upgrade-request', protocol: 'p' }, '090170'],
    [{ type: 'upgrade-response' }, '0a'],
    [{ type: 'preamble-ack' }, '0b'],
    [{ type: 'preamble-end' }, '0c'],
  ];
  for (const [r, h] of bytes) t.equal(encodeRecord(r).toString('hex'), h, r.type);
});

const codes = new Set<string>(Object.values(FramingErrorCode));
const faults = new Set<string>(FAULT_NAMES);

// Feeds chunks and says whether the decoder only ever threw its own typed error.
const onlyTypedErrors = (chunks: Uint8Array[], limits?: { maxEnvelope: number }): boolean => {
  const d = new FramingDecoder(limits);
  try {
    for (const c of chunks) d.push(c);
    d.end();
    return true;
  } catch (e) {
    return (
      e instanceof FramingError &&
      codes.has(e.code) &&
      (e.fault === undefined || faults.has(e.fault)) &&
      e.offset !== undefined
    );
  }
};

t.test('random byte streams never throw anything but the typed framing error', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), cutsArb(600), (bytes, cuts) =>
      onlyTypedErrors(splitAt(bytes, cuts)),
    ),
    { numRuns: 5000 },
  );
  // Streams that start with a plausible record type get further into the decoder.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 12 }), fc.uint8Array({ maxLength: 300 }), (type, rest) =>
      onlyTypedErrors([Uint8Array.of(type), rest], { maxEnvelope: 100 }),
    ),
    { numRuns: 5000 },
  );
  t.pass();
});

// One mutation of a byte stream.
const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = { op: string; at: number; bit?: number; value?: number };

const mutate = (bytes: Uint8Array, muts: readonly Mutation[]): Uint8Array => {
  let b = [...bytes];
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.op === 'flip' && b.length > 0) b[at]! ^= 1 << m.bit!;
    else if (m.op === 'set' && b.length > 0) b[at] = m.value!;
    else if (m.op === 'insert') b.splice(at, 0, m.value!);
    else if (m.op === 'delete') b.splice(at, 1);
    else if (m.op === 'truncate') b = b.slice(0, at);
  }
  return Uint8Array.from(b);
};

t.test('mutated valid streams never throw anything but the typed framing error', async (t) => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { minLength: 1, maxLength: 6 }),
      fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
      cutsArb(3000),
      (records, muts, cuts) => onlyTypedErrors(splitAt(mutate(encodeRecords(records), muts), cuts)),
    ),
    { numRuns: 3000 },
  );
  t.pass();
});

t.test('limits give the error and the fault a .NET server would', async (t) => {
  const cases: [string, Buffer, string, string | undefined][] = [
    ['major version 2', hex('000200'), FramingErrorCode.UnsupportedVersion, 'UnsupportedVersion'],
    ['mode 0x05', hex('0105'), FramingErrorCode.UnsupportedMode, 'UnsupportedMode'],
    ['mode 0x00', hex('0100'), FramingErrorCode.UnsupportedMode, 'UnsupportedMode'],
    [
      'via of 2049 bytes',
      encodeRecord({ type: 'via', via: `net.tcp://h/${'a'.repeat(2049 - 12)}` }),
      FramingErrorCode.ViaTooLong,
      'ViaTooLong',
    ],
    ['via not a URI', encodeRecord({ type: 'via', via: 'orders' }), FramingErrorCode.ViaNotUri, undefined],
    [
      'content type of 257 bytes',
      encodeRecord({ type: 'extensible-encoding', contentType: 'x'.repeat(257) }),
      FramingErrorCode.ContentTypeTooLong,
      'ContentTypeTooLong',
    ],
    [
      'upgrade protocol of 257 bytes',
      encodeRecord({ type: 'upgrade-request', protocol: 'x'.repeat(257) }),
      FramingErrorCode.ContentTypeTooLong,
      'ContentTypeTooLong',
    ],
    [
      'fault of 257 bytes',
      encodeRecord({ type: 'fault', uri: 'x'.repeat(257) }),
      FramingErrorCode.FaultTooLong,
      undefined,
    ],
    [
      'sized envelope of 65537 bytes',
      hex('0681800400'),
      FramingErrorCode.EnvelopeTooLarge,
      'MaxMessageSizeExceededFault',
    ],
    ['HTTP instead of MC-NMF', Buffer.from('HTTP/1.1 400'), FramingErrorCode.UnknownRecord, undefined],
    ['an mbint over 2^31-1', hex('06ffffffff08'), FramingErrorCode.MbintOverflow, undefined],
  ];
  for (const [name, bytes, code, fault] of cases) {
    const e = t.throws(() => new FramingDecoder().push(bytes), name) as FramingError;
    t.equal(e.code, code, `${name}: code`);
    t.equal(e.fault, fault, `${name}: fault`);
  }
});

t.test('limits are exact: the largest allowed value passes', async (t) => {
  const via = `net.tcp://h/${'a'.repeat(2048 - 12)}`;
  t.equal(Buffer.byteLength(via), 2048);
  t.same(decodeChunks([encodeRecord({ type: 'via', via })]), [{ type: 'via', via }]);
  const ct = 'x'.repeat(256);
  t.same(decodeChunks([encodeRecord({ type: 'extensible-encoding', contentType: ct })]), [
    { type: 'extensible-encoding', contentType: ct },
  ]);
  const big = encodeRecord({ type: 'sized-envelope', payload: new Uint8Array(65536) });
  t.equal(decodeChunks([big]).length, 1);
  t.throws(() => decodeChunks([big], { maxEnvelope: 65535 }), { code: FramingErrorCode.EnvelopeTooLarge });
});

t.test('an unsized envelope counts all its chunks against the envelope limit', async (t) => {
  const r: FramingRecord = { type: 'unsized-envelope', chunks: [new Uint8Array(60), new Uint8Array(60)] };
  t.equal(decodeChunks([encodeRecord(r)], { maxEnvelope: 120 }).length, 1);
  t.throws(() => decodeChunks([encodeRecord(r)], { maxEnvelope: 119 }), {
    code: FramingErrorCode.EnvelopeTooLarge,
  });
});

t.test('HTTP bytes are flagged as HTTP', async (t) => {
  for (const first of ['H', 'h']) {
    const e = t.throws(() =>
      new FramingDecoder().push(Buffer.from(`${first}TTP/1.1 200 OK`)),
    ) as FramingError;
    t.equal(e.looksLikeHttp, true, first);
  }
});

t.test('a stream that ends inside a record is a premature end', async (t) => {
  const d = new FramingDecoder();
  d.push(hex('0605aabb'));
  t.throws(() => d.end(), { code: FramingErrorCode.PrematureEof });
});

t.test('after an error the decoder refuses more input with a typed error', async (t) => {
  const d = new FramingDecoder();
  t.throws(() => d.push(hex('ff')));
  t.throws(() => d.push(hex('07')), { code: FramingErrorCode.DecoderClosed });
});

t.test('errors carry the offset of the byte that revealed them', async (t) => {
  const d = new FramingDecoder();
  d.push(hex('000100'));
  d.push(hex('01'));
  t.throws(() => d.push(hex('09')), { code: FramingErrorCode.UnsupportedMode, offset: 4 });
});

t.test('stopAfter leaves the bytes after the stop record unread', async (t) => {
  const d = new FramingDecoder({ stopAfter: (r) => r.type === 'upgrade-response' });
  const records = d.push(hex('0a16030100ff'));
  t.same(records, [{ type: 'upgrade-response' }]);
  t.equal(d.stopped, true);
  t.equal(Buffer.from(d.rest()).toString('hex'), '16030100ff');
  d.push(hex('aa'));
  t.equal(Buffer.from(d.rest()).toString('hex'), '16030100ffaa');
});

t.test('a payload that arrives whole is a view of the chunk, not a copy', async (t) => {
  const chunk = hex('0603010203');
  const [r] = new FramingDecoder().push(chunk);
  t.ok(r?.type === 'sized-envelope' && r.payload.buffer === chunk.buffer);
});

t.test('records completed before a bad byte in the same chunk travel on the error', async (t) => {
  const bytes = Buffer.concat([encodeRecords([{ type: 'preamble-ack' }, { type: 'end' }]), hex('ff')]);
  const e = t.throws(() => new FramingDecoder().push(bytes)) as FramingError;
  t.same(
    e.records.map((r) => r.type),
    ['preamble-ack', 'end'],
  );
});

t.test('decode returns the error with the records before it instead of throwing', async (t) => {
  const d = new FramingDecoder();
  const r = d.decode(Buffer.concat([encodeRecords([{ type: 'end' }]), hex('ff')]));
  t.same(
    r.records.map((x) => x.type),
    ['end'],
  );
  t.equal(r.error?.code, FramingErrorCode.UnknownRecord);
  t.same(new FramingDecoder().decode(hex('0b')), { records: [{ type: 'preamble-ack' }] });
});
