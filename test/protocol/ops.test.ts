import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import {
  decodeOpReply,
  decodeOpRequest,
  encodeOpReply,
  encodeOpRequest,
  OPERATIONS,
  opMessageId,
  type OpReply,
  type OpRequest,
} from '../../protocol/index.ts';

const requestArb: fc.Arbitrary<OpRequest> = fc.record({
  id: fc.nat({ max: 0xffffffff }),
  op: fc.constantFrom(...OPERATIONS),
  arg: fc.nat({ max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 300 }),
});

const replyArb: fc.Arbitrary<OpReply> = fc.oneof(
  fc.record({
    id: fc.nat({ max: 0xffffffff }),
    ok: fc.constant(true as const),
    payload: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({
    id: fc.nat({ max: 0xffffffff }),
    ok: fc.constant(false as const),
    reason: fc.string({ maxLength: 80 }),
  }),
);

// Compares by value whatever kind of byte array carries the payload.
const plain = (x: object): unknown =>
  Object.fromEntries(
    Object.entries(x).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v]),
  );

t.test('requests and replies round-trip', async (t) => {
  fc.assert(
    fc.property(requestArb, (r) => isDeepStrictEqual(plain(decodeOpRequest(encodeOpRequest(r))!), plain(r))),
  );
  fc.assert(
    fc.property(replyArb, (r) => isDeepStrictEqual(plain(decodeOpReply(encodeOpReply(r))!), plain(r))),
  );
  t.pass();
});

t.test('the id of a request and of its reply is the same', async (t) => {
  fc.assert(
    fc.property(requestArb, (r) => {
      const reply = encodeOpReply({ id: r.id, ok: true, payload: r.payload });
      return opMessageId(encodeOpRequest(r)) === r.id && opMessageId(reply) === r.id;
    }),
  );
  t.pass();
});

t.test('arbitrary bytes decode to an operation or to undefined, never throw', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      decodeOpRequest(b);
      decodeOpReply(b);
      opMessageId(b);
      return true;
    }),
    { numRuns: 3000 },
  );
  t.equal(
    decodeOpRequest(Buffer.from('hello, plain payload')),
    undefined,
    'plain payloads are not operations',
  );
});
