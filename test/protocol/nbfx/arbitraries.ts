// fast-check arbitraries for binary XML records (shared by the nbfx and soap tests).

import fc from 'fast-check';
import type { NbfxName, NbfxRecord, NbfxText } from '../../../protocol/index.ts';

const str = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'grapheme', maxLength });
const letter = fc.integer({ min: 0x61, max: 0x7a }).map((c) => String.fromCharCode(c));

// Any text record but a list.
export const plainTextArb: fc.Arbitrary<Exclude<NbfxText, { t: 'list' }>> = fc.oneof(
  fc
    .constantFrom('zero' as const, 'one' as const, 'false' as const, 'true' as const, 'empty' as const)
    .map((t) => ({ t })),
  fc.integer({ min: -128, max: 127 }).map((v) => ({ t: 'int8' as const, v })),
  fc.integer({ min: -32768, max: 32767 }).map((v) => ({ t: 'int16' as const, v })),
  fc.integer().map((v) => ({ t: 'int32' as const, v })),
  fc.bigInt(-(1n << 63n), (1n << 63n) - 1n).map((v) => ({ t: 'int64' as const, v })),
  fc.bigInt(-(1n << 63n), (1n << 63n) - 1n).map((v) => ({ t: 'timespan' as const, v })),
  fc.bigInt(0n, (1n << 64n) - 1n).map((v) => ({ t: 'uint64' as const, v })),
  fc.float().map((v) => ({ t: 'float' as const, v })),
  fc.double().map((v) => ({ t: 'double' as const, v })),
  fc
    .tuple(fc.integer({ min: 0, max: 28 }), fc.boolean(), fc.uint8Array({ minLength: 12, maxLength: 12 }))
    .map(([scale, neg, rest]) => ({
      t: 'decimal' as const,
      bytes: Uint8Array.from([0, 0, scale, neg ? 0x80 : 0, ...rest]),
    })),
  fc
    .tuple(fc.integer({ min: 0, max: 2 }), fc.bigInt(0n, 3155378976000000000n - 1n))
    .map(([k, ticks]) => ({ t: 'datetime' as const, v: (BigInt(k) << 62n) | ticks })),
  fc.constantFrom('chars8', 'chars16', 'chars32').chain((t) => str(40).map((v) => ({ t, v }))),
  fc.constantFrom('unicode8', 'unicode16', 'unicode32').chain((t) => str(20).map((v) => ({ t, v }))),
  fc
    .constantFrom('bytes8', 'bytes16', 'bytes32')
    .chain((t) => fc.uint8Array({ maxLength: 40 }).map((v) => ({ t, v }))),
  fc.boolean().map((v) => ({ t: 'bool' as const, v })),
  fc.constantFrom('uuid', 'unique-id').chain((t) => fc.uuid().map((v) => ({ t, v: v.toLowerCase() }))),
  fc.nat(0x7fffffff).map((id) => ({ t: 'dict' as const, id })),
  fc.tuple(letter, fc.nat(0x7fffffff)).map(([prefix, id]) => ({ t: 'qname' as const, prefix, id })),
);

export const attrTextArb: fc.Arbitrary<NbfxText> = fc.oneof(
  plainTextArb,
  fc.array(plainTextArb, { maxLength: 4 }).map((items) => ({ t: 'list' as const, items })),
);

const nameArb: fc.Arbitrary<NbfxName> = fc.oneof(
  str(12).filter((s) => s.length > 0),
  fc.nat(0x7fffffff).map((dict) => ({ dict })),
);
const prefixArb = fc.oneof(
  fc.constant(''),
  letter,
  str(6).filter((s) => s.length > 1),
);
const elementArb = fc.record({ kind: fc.constant('element' as const), prefix: prefixArb, name: nameArb });
const attrArb: fc.Arbitrary<Extract<NbfxRecord, { kind: 'attribute' | 'xmlns' }>> = fc.oneof(
  fc.record({
    kind: fc.constant('attribute' as const),
    prefix: prefixArb,
    name: nameArb,
    value: attrTextArb,
  }),
  fc.record({
    kind: fc.constant('xmlns' as const),
    prefix: fc.oneof(
      fc.constant(''),
      str(6).filter((s) => s.length > 0),
    ),
    uri: fc.oneof(
      str(20),
      fc.nat(0x7fffffff).map((dict) => ({ dict })),
    ),
  }),
);
const sizes = { 0xb5: 1, 0x8b: 2, 0x8d: 4, 0x8f: 8, 0x91: 4, 0x93: 8, 0x97: 8, 0xaf: 8, 0xb1: 16 } as const;

// Any record.
export const recordArb: fc.Arbitrary<NbfxRecord> = fc.oneof(
  elementArb,
  attrArb,
  fc.record({ kind: fc.constant('text' as const), value: plainTextArb, end: fc.boolean() }),
  fc.constant({ kind: 'end' as const }),
  fc.record({ kind: fc.constant('comment' as const), text: str(20) }),
  fc
    .tuple(
      elementArb,
      fc.array(attrArb, { maxLength: 2 }),
      fc.constantFrom(0xb5, 0x8b, 0x8d, 0x8f, 0x91, 0x93, 0x97),
      fc.integer({ min: 1, max: 4 }),
    )
    .chain(([element, attributes, valueType, count]) => {
      const size = sizes[valueType as keyof typeof sizes];
      // Values must be valid for their type: bools 0/1, DateTimes in range.
      const one =
        valueType === 0xb5
          ? fc.integer({ min: 0, max: 1 }).map((b) => [b])
          : valueType === 0x97
            ? fc
                .bigInt(0n, 3155378976000000000n - 1n)
                .map((v) => [...new Uint8Array(new BigUint64Array([v]).buffer)])
            : fc.uint8Array({ minLength: size, maxLength: size }).map((b) => [...b]);
      return fc.array(one, { minLength: count, maxLength: count }).map((vs) => ({
        kind: 'array' as const,
        element,
        attributes,
        valueType: valueType as 0xb5,
        count,
        data: Uint8Array.from(vs.flat()),
      }));
    }),
);
