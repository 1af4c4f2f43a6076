import fc from 'fast-check';
import t from 'tap';
import {
  el,
  envelope11,
  faultEnvelope11,
  operationBody,
  readEnvelope11,
  SOAP11,
  soap11Code,
  SoapErrorCode,
  treeToXml,
  WSA_NONE,
  xmlToTree,
} from '../../../protocol/index.ts';

const text = (e: ReturnType<typeof envelope11>) => Buffer.from(treeToXml(e)).toString();
const xml = (s: string) => xmlToTree(new TextEncoder().encode(s));

t.test('a SOAP 1.1 request is the Body alone, as BasicHttpBinding sends it', async (t) => {
  t.equal(
    text(envelope11([operationBody('Echo', 'http://tempuri.org/', { text: 'hi' })])),
    `<s:Envelope xmlns:s="${SOAP11}"><s:Body><Echo xmlns="http://tempuri.org/"><text>hi</text></Echo></s:Body></s:Envelope>`,
  );
});

t.test('a SOAP 1.1 fault has an unqualified faultcode and faultstring, as WCF writes it', async (t) => {
  t.equal(
    text(faultEnvelope11({ code: soap11Code('Sender'), reason: 'boom' })),
    `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode>s:Client</faultcode>` +
      '<faultstring xml:lang="en-US">boom</faultstring></s:Fault></s:Body></s:Envelope>',
  );
  t.equal(
    text(
      faultEnvelope11({
        code: soap11Code('Sender', [{ name: 'ActionNotSupported', ns: WSA_NONE }]),
        reason: 'no such action',
      }),
    ),
    `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode xmlns:a="${WSA_NONE}">a:ActionNotSupported</faultcode>` +
      '<faultstring xml:lang="en-US">no such action</faultstring></s:Fault></s:Body></s:Envelope>',
  );
  t.same(soap11Code('Receiver'), { name: 'Server', ns: SOAP11 });
});

t.test('a SOAP 1.1 fault reads back its code, namespace, reason and detail', async (t) => {
  const e = readEnvelope11(
    xml(
      `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>` +
        '<faultstring>it broke</faultstring><detail><x>1</x></detail></soap:Fault></soap:Body></soap:Envelope>',
    ),
  );
  t.match(e.fault, {
    code: 'Server',
    codeNs: SOAP11,
    subcodes: [],
    reason: 'it broke',
    detail: { name: 'detail' },
  });
});

t.test('anything but a SOAP 1.1 envelope with a Body and a whole fault is refused with a code', async (t) => {
  const bad = [
    ['<x/>', SoapErrorCode.NotEnvelope],
    [
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>',
      SoapErrorCode.NotEnvelope,
    ],
    [`<s:Envelope xmlns:s="${SOAP11}"/>`, SoapErrorCode.NotEnvelope],
    [
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultstring>r</faultstring></s:Fault></s:Body></s:Envelope>`,
      SoapErrorCode.BadFault,
    ],
    [
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode>s:Client</faultcode></s:Fault></s:Body></s:Envelope>`,
      SoapErrorCode.BadFault,
    ],
    [
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode>q:Client</faultcode><faultstring/></s:Fault></s:Body></s:Envelope>`,
      SoapErrorCode.BadFault,
    ],
  ] as const;
  for (const [s, code] of bad) t.throws(() => readEnvelope11(xml(s)), { code }, s);
});

// Characters XML 1.0 can carry.
const xmlText = fc
  .string({ unit: 'binary', maxLength: 40 })
  // eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 forbids
  .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s));

t.test('any fault written reads back with the same code and reason', async () => {
  fc.assert(
    fc.property(
      xmlText,
      fc.constantFrom('Sender', 'Receiver', 'MustUnderstand'),
      fc.option(fc.constantFrom('ActionNotSupported', 'DestinationUnreachable'), { nil: undefined }),
      (reason, code, sub) => {
        const c = soap11Code(code, sub === undefined ? [] : [{ name: sub, ns: WSA_NONE }]);
        const f = readEnvelope11(
          xmlToTree(treeToXml(faultEnvelope11({ code: c, reason, detail: el('d', 'urn:d') }))),
        ).fault!;
        if (f.reason !== reason || f.code !== c.name || f.codeNs !== c.ns) throw new Error(JSON.stringify(f));
      },
    ),
    { numRuns: 500 },
  );
});
