import fc from 'fast-check';
import t from 'tap';
import {
  decodeSessionMessage,
  el,
  encodeSessionMessage,
  isSoapError,
  operationBody,
  readEnvelope,
  requestEnvelope,
  SessionReader,
  SessionWriter,
  SoapErrorCode,
  TEMPURI,
  textOf,
  treeToXml,
} from '../../../protocol/index.ts';
import { capturedEnvelopes, capturedMessageIds, capturedTo } from './captured.ts';

const decodeAll = (): ReturnType<typeof readEnvelope>[] => {
  const readers = { 'c>s': new SessionReader(), 's>c': new SessionReader() };
  return capturedEnvelopes.map((e) => readEnvelope(decodeSessionMessage(e.payload, readers[e.dir])));
};

t.test('the captured session decodes: two GetData calls and their replies, correlated', async (t) => {
  const [req1, rep1, req2, rep2] = decodeAll();
  t.equal(req1!.action, 'http://tempuri.org/IService1/GetData');
  t.equal(req1!.to, capturedTo);
  t.equal(req1!.messageId, capturedMessageIds[0]);
  t.equal(textOf(req1!.body), '1337');
  t.equal(rep1!.action, 'http://tempuri.org/IService1/GetDataResponse');
  t.equal(rep1!.relatesTo, req1!.messageId);
  t.equal(textOf(rep1!.body), 'You entered: 1337');
  t.equal(req2!.messageId, capturedMessageIds[1]);
  t.equal(textOf(req2!.body), '0', 'the second request uses only strings the first one added');
  t.equal(rep2!.relatesTo, req2!.messageId);
  t.equal(textOf(rep2!.body), 'You entered: 0');
});

t.test('requests built like WCF builds them are the captured bytes, byte for byte', async (t) => {
  const w = new SessionWriter();
  const action = 'http://tempuri.org/IService1/GetData';
  const requests = capturedEnvelopes.filter((e) => e.dir === 'c>s');
  for (const [i, value] of [1337, 0].entries()) {
    w.lookup(action, true);
    w.lookup(capturedTo, true);
    const env = requestEnvelope({
      action,
      to: capturedTo,
      messageId: capturedMessageIds[i]!,
      body: operationBody('GetData', TEMPURI, { value }),
    });
    const bytes = encodeSessionMessage(env, w);
    t.equal(
      Buffer.from(bytes).toString('hex'),
      Buffer.from(requests[i]!.payload).toString('hex'),
      `request ${i + 1}`,
    );
  }
});

t.test('a message that fails to encode leaves the session as the peer knows it', async (t) => {
  const w = new SessionWriter();
  const r = new SessionReader();
  const ok = requestEnvelope({
    action: 'urn:a',
    to: 'net.tcp://x/y',
    messageId: 'urn:uuid:1',
    body: operationBody('Op', 'urn:ns', { p: 'v' }),
  });
  decodeSessionMessage(encodeSessionMessage(ok, w), r);
  const bad = operationBody('Bad', 'urn:new', { q: 'v' });
  // An element with an empty name: the names before it were already given ids when writing fails.
  bad.children.push(el('', 'urn:new'));
  t.throws(() => encodeSessionMessage(bad, w), { code: SoapErrorCode.Binary });
  const again = encodeSessionMessage(
    requestEnvelope({
      action: 'urn:a',
      to: 'net.tcp://x/y',
      messageId: 'urn:uuid:2',
      body: operationBody('Op', 'urn:new', { p: 'w' }),
    }),
    w,
  );
  const tree = decodeSessionMessage(again, r);
  t.match(Buffer.from(treeToXml(tree)).toString(), /<Op xmlns="urn:new"><p>w<\/p><\/Op>/);
});

t.test('mutated captured messages only ever throw SoapError', async () => {
  const payloads = capturedEnvelopes.map((e) => e.payload);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: payloads.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat(), { nil: undefined }),
      (i, flips, cut) => {
        const b = Uint8Array.from(payloads[i]!);
        for (const [at, v] of flips) b[at % b.length] = v;
        const input = cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
        // Each direction's earlier messages first, so ids resolve as in the session.
        const r = new SessionReader();
        for (const e of capturedEnvelopes.slice(0, i))
          if (e.dir === capturedEnvelopes[i]!.dir) decodeSessionMessage(e.payload, r);
        try {
          decodeSessionMessage(input, r);
        } catch (e) {
          if (!isSoapError(e)) throw e;
        }
      },
    ),
    { numRuns: 3000 },
  );
});
