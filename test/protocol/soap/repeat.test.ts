// Repeated requests: a codec sharing RepeatedRequests sends, session after session and message after
// message, exactly the bytes a codec encoding each request would (but for the MessageID, which is fresh
// every time and is what it correlates by), and falls back to encoding when a call does not repeat.

import fc from 'fast-check';
import t from 'tap';
import {
  createSoapCodec,
  createSoapServerCodec,
  RepeatedRequests,
  type SoapCall,
  type SoapEncodingName,
} from '../../../protocol/index.ts';
import { fillTemplate, MARKER_GUID, templateOf } from '../../../protocol/soap/repeat.ts';

const TO = 'net.tcp://127.0.0.1:8080/svc';
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Sends `calls` in order on a codec with the shared templates, and the same calls on a plain codec given
// the MessageIDs the first one used; returns both byte streams and those ids.
const side = (
  encoding: SoapEncodingName,
  repeat: RepeatedRequests,
  calls: readonly SoapCall[],
): { fast: Buffer[]; slow: Buffer[]; ids: string[] } => {
  const fast = createSoapCodec({ encoding, to: TO, contract: 'IInteropService', repeat });
  const fastBytes = calls.map((c) => fast.encodeRequest(c));
  const ids = fastBytes.map((b) => fast.messageIdOf(b)!);
  let i = 0;
  const slow = createSoapCodec({ encoding, to: TO, contract: 'IInteropService', messageId: () => ids[i++]! });
  return {
    fast: fastBytes.map((b) => Buffer.from(b)),
    slow: calls.map((c) => Buffer.from(slow.encodeRequest(c))),
    ids,
  };
};

const textArb = fc.string({ unit: 'grapheme', maxLength: 40 });

t.test('session after session, every message is what encoding it would give', async () => {
  for (const encoding of ['binary-session', 'soap12'] as const) {
    fc.assert(
      fc.property(
        fc.constantFrom('Echo', 'Delay', 'Op_1'),
        fc.dictionary(fc.constantFrom('text', 'ms', 'reason', 'x'), textArb, { maxKeys: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (operation, params, sessions, messages) => {
          const repeat = new RepeatedRequests();
          const call: SoapCall = { operation, params };
          for (let s = 0; s < sessions; s++) {
            const r = side(
              encoding,
              repeat,
              Array.from({ length: messages }, () => call),
            );
            if (!r.fast.every((b, i) => b.equals(r.slow[i]!))) return false;
            if (!r.ids.every((id) => UUID.test(id))) return false;
            if (new Set(r.ids).size !== r.ids.length) return false;
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  }
});

t.test('a server reads each repeated request with its own MessageID', async (t) => {
  const repeat = new RepeatedRequests();
  const call: SoapCall = { operation: 'Echo', params: { text: 'hello' } };
  for (let s = 0; s < 2; s++) {
    const client = createSoapCodec({
      encoding: 'binary-session',
      to: TO,
      contract: 'IInteropService',
      repeat,
    });
    const server = createSoapServerCodec({ encoding: 'binary-session' });
    for (let m = 0; m < 3; m++) {
      const bytes = client.encodeRequest(call);
      const req = server.decodeRequest(bytes);
      t.match(req, {
        action: 'http://tempuri.org/IInteropService/Echo',
        to: TO,
        messageId: client.messageIdOf(bytes),
        body: { name: 'Echo' },
        params: { text: 'hello' },
      });
      t.equal(client.correlator.requestKey(bytes), client.messageIdOf(bytes));
    }
  }
});

t.test('calls that do not repeat are encoded as they come', async (t) => {
  const repeat = new RepeatedRequests();
  const echo: SoapCall = { operation: 'Echo', params: { text: 'a' } };
  const other: SoapCall = { operation: 'Echo', params: { text: 'b' } };
  // Two call objects in one session: only the first message may come from a template.
  const mixed = side('binary-session', repeat, [echo, other, echo, echo]);
  t.ok(
    mixed.fast.every((b, i) => b.equals(mixed.slow[i]!)),
    'the same bytes as encoding each',
  );
  // A payload holding the marker GUID: the MessageID's place cannot be told, so nothing is templated.
  const marked: SoapCall = { operation: 'Echo', params: { text: `urn:uuid:${MARKER_GUID}` } };
  for (const encoding of ['binary-session', 'soap12'] as const) {
    const r = side(encoding, repeat, [marked, marked, marked]);
    t.ok(
      r.fast.every((b, i) => b.equals(r.slow[i]!)),
      `${encoding}: the same bytes as encoding each`,
    );
    t.equal(new Set(r.ids).size, 3, 'fresh MessageIDs');
  }
  // A call with its own MessageID is encoded with it.
  const own = createSoapCodec({ encoding: 'binary-session', to: TO, contract: 'IInteropService', repeat });
  const b = own.encodeRequest({ ...echo, messageId: 'urn:uuid:00000000-0000-4000-8000-000000000001' });
  t.equal(own.messageIdOf(b), 'urn:uuid:00000000-0000-4000-8000-000000000001');
});

t.test('a template is where its marker occurs exactly once', async (t) => {
  const once = Buffer.concat([Buffer.from('ab'), Buffer.from(MARKER_GUID), Buffer.from('cd')]);
  const tpl = templateOf(once, false, [])!;
  t.equal(tpl.at, 2);
  const filled = fillTemplate(tpl);
  t.match(filled.messageId, UUID);
  t.equal(Buffer.from(filled.bytes).toString(), `ab${filled.messageId.slice('urn:uuid:'.length)}cd`);
  t.equal(Buffer.from(tpl.bytes).toString(), once.toString(), 'the template is not changed');
  t.equal(templateOf(Buffer.concat([once, once]), false, []), undefined, 'twice: none');
  t.equal(templateOf(Buffer.from('nothing here'), false, []), undefined, 'absent: none');
});
