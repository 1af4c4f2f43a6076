// fast-check arbitraries for every MC-NMF record kind, within the default limits.

import fc from 'fast-check';
import type { FramingRecord } from '../../protocol/index.ts';

const utf8Len = (s: string): number => Buffer.byteLength(s, 'utf8');

// Text of at most `maxBytes` UTF-8 bytes, including non-ASCII.
export const textArb = (maxBytes: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme', maxLength: Math.min(maxBytes, 120) }).filter((s) => utf8Len(s) <= maxBytes);

const viaArb = fc
  .tuple(
    fc.constantFrom('net.tcp', 'net.pipe', 'http'),
    fc.domain(),
    fc.integer({ min: 1, max: 65535 }),
    textArb(300),
  )
  .map(([scheme, host, port, path]) => `${scheme}://${host}:${port}/${path}`)
  .filter((s) => URL.canParse(s) && utf8Len(s) <= 2048);

const payloadArb = fc.uint8Array({ maxLength: 1500 });

export const recordArb: fc.Arbitrary<FramingRecord> = fc.oneof(
  fc.record({
    type: fc.constant('version' as const),
    major: fc.constant(1),
    minor: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ type: fc.constant('mode' as const), mode: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ type: fc.constant('via' as const), via: viaArb }),
  fc.record({ type: fc.constant('known-encoding' as const), encoding: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ type: fc.constant('extensible-encoding' as const), contentType: textArb(256) }),
  fc.record({
    type: fc.constant('unsized-envelope' as const),
    chunks: fc.array(fc.uint8Array({ minLength: 1, maxLength: 400 }), { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant('sized-envelope' as const), payload: payloadArb }),
  fc.constant({ type: 'end' as const }),
  fc.record({ type: fc.constant('fault' as const), uri: textArb(256) }),
  fc.record({ type: fc.constant('upgrade-request' as const), protocol: textArb(256) }),
  fc.constant({ type: 'upgrade-response' as const }),
  fc.constant({ type: 'preamble-ack' as const }),
  fc.constant({ type: 'preamble-end' as const }),
);
