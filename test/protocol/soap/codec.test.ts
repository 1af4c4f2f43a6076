import fc from 'fast-check';
import t from 'tap';
import {
  createSoapCodec,
  el,
  encodeSessionMessage,
  isSoapError,
  SessionWriter,
  SOAP12,
  SoapErrorCode,
  treeToXml,
  WSA10,
  type XmlElement,
} from '../../../protocol/index.ts';
import { capturedEnvelopes, capturedMessageIds, capturedTo } from './captured.ts';

const ids = (list: readonly string[]): (() => string) => {
  let i = 0;
  return () => list[i++]!;
};

t.test('a binary-session codec speaks the captured session: requests, correlation, replies', async (t) => {
  const codec = createSoapCodec({
    encoding: 'binary-session',
    to: capturedTo,
    contract: 'IService1',
    messageId: ids(capturedMessageIds),
  });
  t.equal(codec.knownEncoding, 0x08);
  const [req1, rep1, req2, rep2] = capturedEnvelopes;
  const a = codec.encodeRequest({ operation: 'GetData', params: { value: 1337 } });
  const b = codec.encodeRequest({ operation: 'GetData', params: { value: 0 } });
  t.same(Buffer.from(a), Buffer.from(req1!.payload), 'first request byte for byte');
  t.same(Buffer.from(b), Buffer.from(req2!.payload), 'second request byte for byte');
  t.equal(codec.messageIdOf(a), capturedMessageIds[0]);
  t.equal(codec.correlator.requestKey(a), capturedMessageIds[0]);
  // The session client hands every server message to replyKey, in order, then the reply to the caller.
  t.equal(codec.correlator.replyKey(rep1!.payload), capturedMessageIds[0]);
  t.equal(codec.correlator.replyKey(rep2!.payload), capturedMessageIds[1]);
  const r2 = codec.decodeReply(rep2!.payload);
  t.match(r2, {
    kind: 'reply',
    action: 'http://tempuri.org/IService1/GetDataResponse',
    result: 'You entered: 0',
  });
  t.match(codec.decodeReply(rep1!.payload), {
    kind: 'reply',
    result: 'You entered: 1337',
    relatesTo: capturedMessageIds[0],
  });
});

t.test('without the correlator, replies decode when given in order', async (t) => {
  const codec = createSoapCodec({ encoding: 'binary-session', to: capturedTo });
  t.match(codec.decodeReply(capturedEnvelopes[1]!.payload), { result: 'You entered: 1337' });
  t.match(codec.decodeReply(capturedEnvelopes[3]!.payload), { result: 'You entered: 0' });
});

const faultEnvelope = (code: string, reason: string, subcode?: string): XmlElement =>
  el(
    's:Envelope',
    SOAP12,
    [
      el('s:Header', SOAP12, [
        el('a:Action', WSA10, ['http://www.w3.org/2005/08/addressing/soap/fault']),
        el('a:RelatesTo', WSA10, ['urn:uuid:00000000-0000-0000-0000-00000000000a']),
      ]),
      el('s:Body', SOAP12, [
        el('s:Fault', SOAP12, [
          el('s:Code', SOAP12, [
            el('s:Value', SOAP12, [code]),
            ...(subcode === undefined ? [] : [el('s:Subcode', SOAP12, [el('s:Value', SOAP12, [subcode])])]),
          ]),
          el('s:Reason', SOAP12, [
            el('s:Text', SOAP12, [reason], {
              attributes: [
                { prefix: 'xml', name: 'lang', ns: 'http://www.w3.org/XML/1998/namespace', value: 'en-US' },
              ],
            }),
          ]),
        ]),
      ]),
    ],
    {
      declarations: [
        { prefix: 's', uri: SOAP12 },
        { prefix: 'a', uri: WSA10 },
      ],
    },
  );

t.test('faults decode to code, subcodes and reason in both encodings', async (t) => {
  const server = new SessionWriter();
  const binary = createSoapCodec({ encoding: 'binary-session', to: 'net.tcp://127.0.0.1/x' });
  const f1 = encodeSessionMessage(faultEnvelope('s:Sender', 'boom'), server);
  t.same(binary.decodeReply(f1), {
    kind: 'fault',
    action: 'http://www.w3.org/2005/08/addressing/soap/fault',
    relatesTo: 'urn:uuid:00000000-0000-0000-0000-00000000000a',
    code: 'Sender',
    codeNs: SOAP12,
    subcodes: [],
    reason: 'boom',
    detail: undefined,
  });
  const f2 = encodeSessionMessage(
    faultEnvelope('s:Sender', 'no such action', 'a:ActionNotSupported'),
    server,
  );
  t.match(binary.decodeReply(f2), { kind: 'fault', code: 'Sender', subcodes: ['ActionNotSupported'] });
  const text = createSoapCodec({ encoding: 'soap12', to: 'net.tcp://127.0.0.1/x' });
  t.equal(text.knownEncoding, 0x03);
  t.match(text.decodeReply(treeToXml(faultEnvelope('s:Receiver', 'oops'))), {
    kind: 'fault',
    code: 'Receiver',
    reason: 'oops',
  });
});

t.test('a soap12 codec writes WCF-style XML text and reads replies', async (t) => {
  const codec = createSoapCodec({
    encoding: 'soap12',
    to: 'net.tcp://127.0.0.1:1/text',
    contract: 'IInteropService',
    messageId: () => 'urn:uuid:00000000-0000-0000-0000-000000000001',
  });
  const req = codec.encodeRequest({ operation: 'Echo', params: { text: 'a<b' } });
  const s = Buffer.from(req).toString();
  t.match(s, /<a:Action s:mustUnderstand="1">http:\/\/tempuri.org\/IInteropService\/Echo<\/a:Action>/);
  t.match(s, /<Echo xmlns="http:\/\/tempuri.org\/"><text>a&lt;b<\/text><\/Echo>/);
  const reply = new TextEncoder().encode(
    `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="${WSA10}"><s:Header><a:RelatesTo>urn:uuid:00000000-0000-0000-0000-000000000001</a:RelatesTo></s:Header>` +
      '<s:Body><EchoResponse xmlns="http://tempuri.org/"><EchoResult>a&lt;b</EchoResult></EchoResponse></s:Body></s:Envelope>',
  );
  t.equal(codec.correlator.replyKey(reply), codec.correlator.requestKey(req));
  t.match(codec.decodeReply(reply), { kind: 'reply', result: 'a<b', body: { name: 'EchoResponse' } });
});

t.test('the correlator never throws: undecodable replies match no call and are counted', async (t) => {
  const codec = createSoapCodec({ encoding: 'binary-session', to: 'net.tcp://h/p' });
  const junk = Uint8Array.of(1, 2, 3);
  t.equal(codec.correlator.replyKey(junk), undefined);
  t.equal(codec.undecodable, 1);
  t.equal(codec.lastError?.code, SoapErrorCode.Binary);
  t.throws(() => codec.decodeReply(junk), { code: SoapErrorCode.Binary }, 'the caller sees the same error');
  t.not(
    codec.correlator.requestKey(junk),
    codec.correlator.requestKey(junk),
    'foreign requests never share a key',
  );
});

t.test('a call needs an action or an operation of a known contract', async (t) => {
  const codec = createSoapCodec({ encoding: 'soap12', to: 'net.tcp://h/p' });
  t.throws(() => codec.encodeRequest({ operation: 'Echo' }), { code: SoapErrorCode.Unencodable });
  t.ok(codec.encodeRequest({ action: 'urn:x' }).length > 0, 'an action alone sends an empty body');
  t.throws(() => createSoapCodec({ encoding: 'mtom' as never, to: 'x' }), {
    code: SoapErrorCode.Unencodable,
  });
});

t.test('decodeReply only ever throws SoapError, in either encoding', async () => {
  const replies = capturedEnvelopes.filter((e) => e.dir === 's>c').map((e) => e.payload);
  fc.assert(
    fc.property(
      fc.constantFrom('binary-session' as const, 'soap12' as const),
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc
          .tuple(
            fc.constantFrom(...replies),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          )
          .map(([r, flips]) => {
            const b = Uint8Array.from(r);
            for (const [at, v] of flips) b[at % b.length] = v;
            return b;
          }),
      ),
      (encoding, bytes) => {
        const codec = createSoapCodec({ encoding, to: 'net.tcp://h/p' });
        try {
          codec.decodeReply(bytes);
        } catch (e) {
          if (!isSoapError(e)) throw e;
        }
        codec.correlator.replyKey(bytes);
      },
    ),
    { numRuns: 3000 },
  );
});
