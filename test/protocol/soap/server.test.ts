import fc from 'fast-check';
import t from 'tap';
import {
  actionNotSupportedFault,
  createSoapCodec,
  createSoapServerCodec,
  deserializationFailedFault,
  destinationUnreachableFault,
  el,
  isSoapError,
  TEMPURI,
  WCF_FAULT_ACTION,
  WSA10,
  WSA10_FAULT_ACTION,
  WSA_ANONYMOUS,
  type XmlElement,
} from '../../../protocol/index.ts';
import { capturedEnvelopes, capturedMessageIds, capturedTo } from './captured.ts';

const GET_DATA_RESPONSE = 'http://tempuri.org/IService1/GetDataResponse';
const getDataResponse = (text: string): XmlElement =>
  el('GetDataResponse', TEMPURI, [el('GetDataResult', TEMPURI, [text])], {
    declarations: [{ prefix: '', uri: TEMPURI }],
  });

// The captured service had tracing on: WCF wrote an ActivityId header (inline strings, not session
// ones) between Action and RelatesTo. Without it, the reply is what a service without tracing sends.
const withoutActivityId = (payload: Uint8Array): Buffer => {
  const b = Buffer.from(payload);
  const start = b.indexOf(Buffer.from([0x40, 0x0a, ...Buffer.from('ActivityId')]));
  const relatesTo = b.indexOf(Buffer.from([0x44, 0x12, 0xad]), start);
  return Buffer.concat([b.subarray(0, start), b.subarray(relatesTo)]);
};

t.test("the server codec reads the captured client's requests and answers with WCF's bytes", async (t) => {
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  t.equal(server.knownEncoding, 0x08);
  const [req1, rep1, req2, rep2] = capturedEnvelopes;
  const r1 = server.decodeRequest(req1!.payload);
  t.match(r1, {
    action: 'http://tempuri.org/IService1/GetData',
    messageId: capturedMessageIds[0],
    to: capturedTo,
    replyTo: WSA_ANONYMOUS,
    body: { name: 'GetData', ns: TEMPURI },
    params: { value: '1337' },
  });
  const a = server.encodeReply({
    action: GET_DATA_RESPONSE,
    relatesTo: r1.messageId,
    body: getDataResponse('You entered: 1337'),
  });
  t.same(Buffer.from(a), withoutActivityId(rep1!.payload), 'first reply byte for byte');
  const r2 = server.decodeRequest(req2!.payload);
  t.same(r2.params, { value: '0' });
  const b = server.encodeReply({
    action: GET_DATA_RESPONSE,
    relatesTo: r2.messageId,
    body: getDataResponse('You entered: 0'),
  });
  t.same(
    Buffer.from(b),
    withoutActivityId(rep2!.payload),
    'second reply, session strings reused, byte for byte',
  );
});

t.test('replies and faults it writes read back in the client codec, in both encodings', async (t) => {
  for (const encoding of ['binary-session', 'soap12'] as const) {
    const server = createSoapServerCodec({ encoding });
    const client = createSoapCodec({
      encoding,
      to: 'net.tcp://127.0.0.1:1/echo',
      contract: 'IInteropService',
    });
    const req = server.decodeRequest(client.encodeRequest({ operation: 'Echo', params: { text: 'hi' } }));
    t.match(req, { action: 'http://tempuri.org/IInteropService/Echo', params: { text: 'hi' } });
    const reply = server.encodeReply({
      action: 'http://tempuri.org/IInteropService/EchoResponse',
      relatesTo: req.messageId,
      body: el('EchoResponse', TEMPURI, [el('EchoResult', TEMPURI, ['hi'])], {
        declarations: [{ prefix: '', uri: TEMPURI }],
      }),
    });
    t.match(client.decodeReply(reply), { kind: 'reply', result: 'hi', relatesTo: req.messageId }, encoding);
    t.same(
      client.decodeReply(server.encodeFault({ relatesTo: req.messageId, code: 'Sender', reason: 'boom' })),
      {
        kind: 'fault',
        action: WCF_FAULT_ACTION,
        relatesTo: req.messageId,
        code: 'Sender',
        codeNs: 'http://www.w3.org/2003/05/soap-envelope',
        subcodes: [],
        reason: 'boom',
        detail: undefined,
      },
      `${encoding}: a declared fault`,
    );
    t.match(
      client.decodeReply(
        server.encodeFault({
          action: WSA10_FAULT_ACTION,
          code: 'Sender',
          subcodes: [
            { name: 'ActionNotSupported', ns: WSA10 },
            { name: 'Mine', ns: 'urn:mine' },
          ],
          reason: 'nope',
        }),
      ),
      { kind: 'fault', action: WSA10_FAULT_ACTION, code: 'Sender', subcodes: ['ActionNotSupported', 'Mine'] },
      `${encoding}: subcodes, one in a namespace of its own`,
    );
  }
});

t.test('requests and replies of any text round-trip, message after message, in one session', async (t) => {
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  const client = createSoapCodec({
    encoding: 'binary-session',
    to: 'net.tcp://127.0.0.1:1/echo',
    contract: 'C',
  });
  fc.assert(
    fc.property(
      fc.string({ maxLength: 200, unit: 'grapheme' }),
      fc.constantFrom('Echo', 'Other', 'Third'),
      (text, op) => {
        const req = server.decodeRequest(client.encodeRequest({ operation: op, params: { text } }));
        if (req.params['text'] !== text) return false;
        const back = client.decodeReply(
          server.encodeReply({
            action: `urn:${op}Response`,
            relatesTo: req.messageId,
            body: el(`${op}Response`, TEMPURI, [el(`${op}Result`, TEMPURI, [text])]),
          }),
        );
        return back.kind === 'reply' && back.result === text && back.relatesTo === req.messageId;
      },
    ),
    { numRuns: 200 },
  );
  t.pass('every round trip matched');
});

t.test('what it cannot read throws a SoapError with a code', async (t) => {
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        server.decodeRequest(bytes);
      } catch (e) {
        return isSoapError(e);
      }
      return true;
    }),
    { numRuns: 500 },
  );
  t.throws(() => createSoapServerCodec({ encoding: 'binary' as never }), { code: 'SOAP_UNENCODABLE' });
});

t.test("the dispatcher's own faults read back as WCF raises them, RelatesTo the request", async (t) => {
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  const client = createSoapCodec({ encoding: 'binary-session', to: 'net.tcp://127.0.0.1:1/s' });
  const cases = [
    [
      actionNotSupportedFault('urn:nope', 'urn:id:1'),
      WSA10_FAULT_ACTION,
      'ActionNotSupported',
      /Action 'urn:nope'/,
    ],
    [
      destinationUnreachableFault('net.tcp://x/y', 'urn:id:2'),
      WSA10_FAULT_ACTION,
      'DestinationUnreachable',
      /To 'net.tcp:\/\/x\/y'/,
    ],
    [
      deserializationFailedFault(TEMPURI, 'ms', 'bad int', 'urn:id:3'),
      WCF_FAULT_ACTION,
      'DeserializationFailed',
      /parameter http:\/\/tempuri.org\/:ms. The InnerException message was 'bad int'/,
    ],
  ] as const;
  for (const [fault, action, subcode, reason] of cases) {
    t.match(
      client.decodeReply(server.encodeFault(fault)),
      { kind: 'fault', action, relatesTo: fault.relatesTo, code: 'Sender', subcodes: [subcode], reason },
      subcode,
    );
  }
});
