import fc from 'fast-check';
import t from 'tap';
import {
  decodeMbint,
  encodeMbint,
  FramingError,
  FramingErrorCode,
  MBINT_MAX,
  mbintSize,
} from '../../protocol/index.ts';
import { hex } from '../helpers/chunking.ts';

const enc = (n: number): string => Buffer.from(encodeMbint(n)).toString('hex');

t.test('encodes the edge values like .NET', async (t) => {
  t.equal(enc(0), '00');
  t.equal(enc(127), '7f');
  t.equal(enc(128), '8001');
  t.equal(enc(16383), 'ff7f');
  t.equal(enc(16384), '808001');
  t.equal(enc(MBINT_MAX), 'ffffffff07');
});

t.test('refuses to encode what no mbint can hold', async (t) => {
  for (const bad of [-1, MBINT_MAX + 1, 1.5, Number.NaN])
    t.throws(() => encodeMbint(bad), RangeError, String(bad));
});

t.test('decodes the edge values', async (t) => {
  t.same(decodeMbint(hex('00')), { value: 0, size: 1 });
  t.same(decodeMbint(hex('7f')), { value: 127, size: 1 });
  t.same(decodeMbint(hex('8001')), { value: 128, size: 2 });
  t.same(decodeMbint(hex('ffffffff07')), { value: MBINT_MAX, size: 5 });
});

t.test('a 0x00 byte inside an mbint is a digit, not a terminator', async (t) => {
  // 0x80 0x00: continuation, then a zero group; .NET accepts the overlong zero.
  t.same(decodeMbint(hex('8000')), { value: 0, size: 2 });
  t.same(decodeMbint(hex('8080808000')), { value: 0, size: 5 });
  t.same(decodeMbint(hex('ff80808000')), { value: 127, size: 5 });
});

t.test('a fifth byte with any of bits 0xF8 set is refused, as .NET does', async (t) => {
  for (const h of ['ffffffff08', 'ffffffff0f', 'ffffffff80', '8080808080', '80808080ff']) {
    t.throws(
      () => decodeMbint(hex(h)),
      { name: 'FramingError', code: FramingErrorCode.MbintOverflow, offset: 4 },
      h,
    );
  }
});

t.test('too many bytes: a sixth byte is never read', async (t) => {
  // Five continuation bytes fail on the fifth, before a sixth could matter.
  const e = t.throws(() => decodeMbint(hex('808080808001')));
  t.ok(e instanceof FramingError);
});

t.test('an unfinished mbint asks for more bytes', async (t) => {
  t.equal(decodeMbint(hex('80')), undefined);
  t.equal(decodeMbint(hex('ffffffff')), undefined);
});

t.test('decode(encode(n)) is n and mbintSize is the encoded length, for every n in range', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MBINT_MAX }), (n) => {
      const bytes = encodeMbint(n);
      return bytes.length === mbintSize(n) && decodeMbint(bytes)?.value === n;
    }),
    { numRuns: 2000 },
  );
  t.pass('held for 2000 values');
});

t.test('any 5-byte input either decodes to at most 2^31-1 or throws the typed error', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 6 }), (bytes) => {
      try {
        const r = decodeMbint(bytes);
        return r === undefined || (r.value >= 0 && r.value <= MBINT_MAX && r.size <= 5);
      } catch (e) {
        return e instanceof FramingError && e.code === FramingErrorCode.MbintOverflow;
      }
    }),
    { numRuns: 5000 },
  );
  t.pass();
});
