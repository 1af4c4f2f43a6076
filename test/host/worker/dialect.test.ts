import fc from 'fast-check';
import t from 'tap';
import { dialectOf, mediaType } from '../../../host/worker/dialect.ts';
import { contentTypeOf, OPS_CONTENT_TYPE } from '../../../protocol/index.ts';

t.test('the binary session and SOAP 1.2 text speak SOAP; other content types the op framing', async (t) => {
  t.same(dialectOf({ contentType: contentTypeOf(0x08) }), { kind: 'soap', encoding: 'binary-session' });
  t.same(dialectOf({ contentType: contentTypeOf(0x03) }), { kind: 'soap', encoding: 'soap12' });
  t.same(dialectOf({ contentType: 'Application/SOAP+XML' }), { kind: 'soap', encoding: 'soap12' });
  t.same(dialectOf({ contentType: 'application/soap+xml; charset="UTF-8"' }), {
    kind: 'soap',
    encoding: 'soap12',
  });
  t.same(dialectOf({ contentType: contentTypeOf(0x04) }), { kind: 'unreadable' }, 'SOAP 1.2 in UTF-16');
  t.same(dialectOf({ contentType: OPS_CONTENT_TYPE }), { kind: 'ops' });
  t.same(dialectOf({ contentType: contentTypeOf(0x07) }), { kind: 'ops' }, 'binary without a session');
  t.same(dialectOf({ contentType: contentTypeOf(0x00) }), { kind: 'ops' }, 'SOAP 1.1 text');
});

t.test('any content type gets a dialect, and the media type decides it', async (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (ct) => {
      const d = dialectOf({ contentType: ct });
      const m = mediaType(ct);
      if (m === 'application/soap+msbinsession1') return d.kind === 'soap';
      if (m === 'application/soap+xml') return d.kind === 'soap' || d.kind === 'unreadable';
      return d.kind === 'ops';
    }),
    { numRuns: 500 },
  );
  t.pass('every content type mapped by its media type');
});
