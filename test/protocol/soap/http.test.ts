import fc from 'fast-check';
import t from 'tap';
import {
  el,
  isSoapError,
  operationBody,
  readSoapHttpReply,
  readSoapHttpRequest,
  SOAP11,
  SOAP12,
  soapActionOf,
  soapHttpFault,
  soapHttpHeaders,
  soapHttpReply,
  soapHttpRequest,
  soapVersionOf,
  SoapErrorCode,
  TEMPURI,
  WSA10,
  WSA_NONE,
  type SoapVersion,
} from '../../../protocol/index.ts';

const ACTION = 'http://tempuri.org/IInteropService/Echo';
const str = (b: Uint8Array) => Buffer.from(b).toString();
const echoReply = (v: SoapVersion, result: string, relatesTo?: string) =>
  soapHttpReply(v, {
    action: `${ACTION}Response`,
    relatesTo,
    body: el('EchoResponse', TEMPURI, [el('EchoResult', TEMPURI, [result])], {
      declarations: [{ prefix: '', uri: TEMPURI }],
    }),
  });

t.test('SOAP 1.1 over HTTP: text/xml, a quoted SOAPAction header, no addressing headers', async (t) => {
  const m = soapHttpRequest({
    version: '1.1',
    action: ACTION,
    body: operationBody('Echo', TEMPURI, { text: 'hi' }),
  });
  t.same(m.headers, { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${ACTION}"` });
  t.equal(
    str(m.body),
    `<s:Envelope xmlns:s="${SOAP11}"><s:Body><Echo xmlns="${TEMPURI}"><text>hi</text></Echo></s:Body></s:Envelope>`,
  );
});

t.test('SOAP 1.2 over HTTP: the action in the content type and WS-Addressing headers', async (t) => {
  const m = soapHttpRequest({
    version: '1.2',
    action: ACTION,
    to: 'http://127.0.0.1:8080/ws',
    messageId: 'urn:uuid:1',
    body: operationBody('Echo', TEMPURI, { text: 'hi' }),
  });
  t.same(m.headers, { 'Content-Type': `application/soap+xml; charset=utf-8; action="${ACTION}"` });
  t.match(
    str(m.body),
    `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="${WSA10}"><s:Header><a:Action s:mustUnderstand="1">${ACTION}</a:Action>`,
  );
  t.match(str(m.body), '<a:To s:mustUnderstand="1">http://127.0.0.1:8080/ws</a:To>');
  t.throws(() => soapHttpRequest({ version: '1.2', action: ACTION }), { code: SoapErrorCode.Unencodable });
  t.throws(() => soapHttpHeaders('1.1', 'a\r\nX-Evil: 1'), { code: SoapErrorCode.Unencodable });
});

t.test(
  'the service side reads the version from the content type and the action from the headers',
  async (t) => {
    t.equal(soapVersionOf('text/xml; charset=utf-8'), '1.1');
    t.equal(soapVersionOf('Application/SOAP+XML; charset=utf-8; action="x"'), '1.2');
    t.equal(soapVersionOf('application/json'), undefined);
    t.equal(soapVersionOf('not a type'), undefined);
    t.equal(soapVersionOf(undefined), undefined);
    t.equal(soapActionOf('1.1', { soapAction: '"urn:a"' }), 'urn:a');
    t.equal(soapActionOf('1.1', { soapAction: 'urn:bare' }), 'urn:bare');
    t.equal(soapActionOf('1.1', {}), undefined);
    t.equal(soapActionOf('1.2', { contentType: 'application/soap+xml; action="urn:b"' }), 'urn:b');
    t.equal(soapActionOf('1.2', { contentType: 'application/soap+xml' }), undefined);
    const m = soapHttpRequest({
      version: '1.1',
      action: ACTION,
      body: operationBody('Echo', TEMPURI, { text: 'yo' }),
    });
    t.match(readSoapHttpRequest(m.body, '1.1', ACTION), {
      action: ACTION,
      params: { text: 'yo' },
      body: { name: 'Echo' },
    });
  },
);

t.test('replies and faults of each version read back; a reply of the other version is refused', async (t) => {
  t.match(readSoapHttpReply(echoReply('1.1', 'hi'), '1.1'), { kind: 'reply', result: 'hi' });
  t.match(readSoapHttpReply(echoReply('1.2', 'hi', 'urn:uuid:1'), '1.2'), {
    kind: 'reply',
    result: 'hi',
    relatesTo: 'urn:uuid:1',
  });
  t.match(readSoapHttpReply(soapHttpFault('1.1', { code: 'Sender', reason: 'boom' }), '1.1'), {
    kind: 'fault',
    code: 'Client',
    reason: 'boom',
  });
  t.match(
    readSoapHttpReply(
      soapHttpFault('1.1', {
        code: 'Sender',
        subcodes: [{ name: 'ActionNotSupported', ns: WSA_NONE }],
        reason: 'r',
      }),
      '1.1',
    ),
    { kind: 'fault', code: 'ActionNotSupported', codeNs: WSA_NONE },
  );
  t.match(readSoapHttpReply(soapHttpFault('1.2', { code: 'Sender', reason: 'boom' }), '1.2'), {
    kind: 'fault',
    code: 'Sender',
    reason: 'boom',
  });
  t.throws(() => readSoapHttpReply(echoReply('1.2', 'hi'), '1.1'), { code: SoapErrorCode.NotEnvelope });
  t.throws(() => readSoapHttpReply(echoReply('1.1', 'hi'), '1.2'), { code: SoapErrorCode.NotEnvelope });
});

// Characters XML 1.0 can carry.
const xmlText = fc
  .string({ unit: 'binary', maxLength: 60 })
  // eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 forbids
  .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s));
const version = fc.constantFrom<SoapVersion>('1.1', '1.2');

t.test(
  'any echoed text reads back as the reply result, and any request param as the service sees it',
  async () => {
    fc.assert(
      fc.property(version, xmlText, (v, s) => {
        const r = readSoapHttpReply(echoReply(v, s, 'urn:uuid:x'), v);
        if (r.kind !== 'reply' || r.result !== s) throw new Error(`reply ${JSON.stringify(r)}`);
        const m = soapHttpRequest({
          version: v,
          action: ACTION,
          to: 'http://h/ws',
          messageId: 'urn:uuid:x',
          body: operationBody('Echo', TEMPURI, { text: s }),
        });
        const req = readSoapHttpRequest(
          m.body,
          v,
          soapActionOf(v, { contentType: m.headers['Content-Type'], soapAction: m.headers['SOAPAction'] }),
        );
        if (req.params['text'] !== s || req.action !== ACTION)
          throw new Error(`request ${JSON.stringify(req.params)}`);
      }),
      { numRuns: 500 },
    );
  },
);

t.test('any action without control characters survives its HTTP header', async () => {
  fc.assert(
    fc.property(
      version,
      // eslint-disable-next-line no-control-regex -- header values carry no control characters
      fc.string({ maxLength: 60 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
      (v, action) => {
        const h = soapHttpHeaders(v, action);
        const back = soapActionOf(v, { contentType: h['Content-Type'], soapAction: h['SOAPAction'] });
        if (back !== action)
          throw new Error(`${JSON.stringify(action)} came back as ${JSON.stringify(back)}`);
      },
    ),
    { numRuns: 1000 },
  );
});

t.test('reading a reply only ever throws SoapError, whatever the bytes', async () => {
  const seeds = [
    echoReply('1.1', 'abc'),
    echoReply('1.2', 'abc', 'urn:1'),
    soapHttpFault('1.1', { code: 'Receiver', reason: 'x' }),
  ];
  fc.assert(
    fc.property(
      version,
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc
          .tuple(
            fc.constantFrom(...seeds),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          )
          .map(([r, flips]) => {
            const b = Uint8Array.from(r);
            for (const [at, v] of flips) b[at % b.length] = v;
            return b;
          }),
      ),
      (v, bytes) => {
        try {
          readSoapHttpReply(bytes, v);
        } catch (e) {
          if (!isSoapError(e)) throw e;
        }
      },
    ),
    { numRuns: 2000 },
  );
});
