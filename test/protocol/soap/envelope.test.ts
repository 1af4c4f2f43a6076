import t from 'tap';
import {
  el,
  operationBody,
  readEnvelope,
  requestEnvelope,
  SOAP12,
  SoapErrorCode,
  treeToXml,
  WSA10,
  xmlToTree,
} from '../../../protocol/index.ts';

const xml = (s: string) => xmlToTree(new TextEncoder().encode(s));
const ENV = `xmlns:s="${SOAP12}" xmlns:a="${WSA10}"`;

t.test('a request carries Action, MessageID, ReplyTo anonymous and To, as WCF sends them', async (t) => {
  const env = requestEnvelope({
    action: 'http://tempuri.org/IInteropService/Echo',
    to: 'net.tcp://127.0.0.1:808/echo',
    messageId: 'urn:uuid:00000000-0000-0000-0000-000000000001',
    body: operationBody('Echo', 'http://tempuri.org/', { text: 'hi' }),
  });
  t.equal(
    Buffer.from(treeToXml(env)).toString(),
    `<s:Envelope ${ENV}><s:Header>` +
      '<a:Action s:mustUnderstand="1">http://tempuri.org/IInteropService/Echo</a:Action>' +
      '<a:MessageID>urn:uuid:00000000-0000-0000-0000-000000000001</a:MessageID>' +
      '<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>' +
      '<a:To s:mustUnderstand="1">net.tcp://127.0.0.1:808/echo</a:To>' +
      '</s:Header><s:Body><Echo xmlns="http://tempuri.org/"><text>hi</text></Echo></s:Body></s:Envelope>',
  );
});

t.test('a reply is read with its addressing headers and body', async (t) => {
  const e = readEnvelope(
    xml(
      `<s:Envelope ${ENV}><s:Header><a:Action s:mustUnderstand="1">urn:r</a:Action><a:RelatesTo>urn:uuid:1</a:RelatesTo></s:Header>` +
        '<s:Body><EchoResponse xmlns="http://tempuri.org/"><EchoResult>hi</EchoResult></EchoResponse></s:Body></s:Envelope>',
    ),
  );
  t.equal(e.action, 'urn:r');
  t.equal(e.relatesTo, 'urn:uuid:1');
  t.equal(e.fault, undefined);
  t.equal(e.body.name, 'Body');
});

t.test(
  'a SOAP 1.2 fault gives its code, subcodes and reason, prefixes resolved where declared',
  async (t) => {
    const e = readEnvelope(
      xml(
        `<s:Envelope ${ENV}><s:Header><a:Action s:mustUnderstand="1">http://www.w3.org/2005/08/addressing/soap/fault</a:Action></s:Header>` +
          '<s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value xmlns:x="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">x:InternalServiceFault</s:Value></s:Subcode></s:Code>' +
          '<s:Reason><s:Text xml:lang="en-US">The server was unable to process the request.</s:Text></s:Reason><s:Detail><d>1</d></s:Detail></s:Fault></s:Body></s:Envelope>',
      ),
    );
    t.equal(e.fault?.code, 'Receiver');
    t.equal(e.fault?.codeNs, SOAP12);
    t.same(e.fault?.subcodes, ['InternalServiceFault']);
    t.equal(e.fault?.reason, 'The server was unable to process the request.');
    t.equal(e.fault?.detail?.name, 'Detail');
  },
);

t.test('what is not a SOAP 1.2 envelope, or a fault missing its parts, is refused with a code', async (t) => {
  const code = (s: string): unknown => {
    try {
      readEnvelope(xml(s));
      return undefined;
    } catch (e) {
      return (e as { code?: unknown }).code;
    }
  };
  t.equal(code('<Envelope/>'), SoapErrorCode.NotEnvelope);
  t.equal(
    code('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>'),
    SoapErrorCode.NotEnvelope,
    'SOAP 1.1',
  );
  t.equal(code(`<s:Envelope ${ENV}><s:Header/></s:Envelope>`), SoapErrorCode.NotEnvelope, 'no Body');
  t.equal(
    code(`<s:Envelope ${ENV}><s:Body><s:Fault/></s:Body></s:Envelope>`),
    SoapErrorCode.BadFault,
    'no Code',
  );
  t.equal(
    code(
      `<s:Envelope ${ENV}><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault></s:Body></s:Envelope>`,
    ),
    SoapErrorCode.BadFault,
    'no Reason',
  );
  t.equal(
    code(
      `<s:Envelope ${ENV}><s:Body><s:Fault><s:Code><s:Value>q:Sender</s:Value></s:Code><s:Reason><s:Text>r</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`,
    ),
    SoapErrorCode.BadFault,
    'undeclared prefix in the code',
  );
});

t.test('operation bodies put every parameter in the contract namespace', async (t) => {
  t.same(
    operationBody('Delay', 'urn:c', { ms: 5 }),
    el('Delay', 'urn:c', [el('ms', 'urn:c', ['5'])], { declarations: [{ prefix: '', uri: 'urn:c' }] }),
  );
});
