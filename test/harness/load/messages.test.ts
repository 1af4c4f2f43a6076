import fc from 'fast-check';
import t from 'tap';
import { payloadText, sessionMessages } from '../../../harness/load/messages.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';
import type { SessionSpec } from '../../../harness/load/messages.ts';
import {
  createSoapServerCodec,
  decodeOpRequest,
  el,
  encodeOpReply,
  OPS_CONTENT_TYPE,
  TEMPURI,
} from '../../../protocol/index.ts';

const VIA = 'net.tcp://127.0.0.1:9/orders';

// A load's session spec as a suite gives it (defaults filled in by the schema).
const sessionOf = (session: string): SessionSpec => {
  const r = loadSuiteText(
    `name: t\ntarget: { command: [x, "{port}"], port: auto }\nload:\n  - { name: a, via: /orders, model: constant-sessions, sessions: 1, duration: 1s, session: ${session} }\n`,
    't.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const l = r.loaded.suite.load[0]!;
  if (l.client !== 'nettcp') throw new Error('not a net.tcp load');
  return l.session;
};

t.test('payload bytes become as many URL-safe characters, the same bytes the same text', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => {
      const s = payloadText(b);
      return (
        s.length === b.length &&
        Buffer.byteLength(s) === b.length &&
        /^[\w-]*$/.test(s) &&
        s === payloadText(Uint8Array.from(b))
      );
    }),
  );
  t.pass('length, alphabet and determinism hold');
});

t.test('an op framing session opens with the op framing content type by default', async (t) => {
  const m = sessionMessages(sessionOf('{ calls: 1, payload: 16 }'), Buffer.alloc(16, 1), VIA)();
  t.equal(m.encoding, OPS_CONTENT_TYPE);
  t.match(decodeOpRequest(m.request()), { op: 'echo', payload: Buffer.alloc(16, 1) });
});

t.test('{payload} in a SOAP parameter is the seeded payload as text, To is the via', async (t) => {
  const payload = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
  const spec = sessionOf(
    '{ payload: 300, soap: { operation: Echo, contract: IInteropService, params: { text: "{payload}", tag: "x{payload}" } } }',
  );
  const make = sessionMessages(spec, payload, VIA);
  const m = make();
  t.equal(m.encoding, 0x08, 'the binary session encoding');
  const server = createSoapServerCodec({ encoding: 'binary-session' });
  const req = server.decodeRequest(m.request());
  t.equal(req.to, VIA);
  t.equal(req.action, 'http://tempuri.org/IInteropService/Echo');
  t.equal(req.params['text'], payloadText(payload));
  t.equal(req.params['text']!.length, 300);
  t.equal(req.params['tag'], `x${payloadText(payload)}`);
  t.not(make(), m, 'each session gets its own codec');
});

t.test(
  'an op framing reply that does not carry back the payload is corrupt, with where it differs',
  async (t) => {
    const payload = Buffer.from('0123456789abcdef0123');
    const m = sessionMessages(sessionOf('{ calls: 1, payload: 20 }'), payload, VIA)();
    const req = decodeOpRequest(m.request())!;
    t.equal(m.replyFailure(encodeOpReply({ id: req.id, ok: true, payload })), undefined, 'the same bytes');
    const bad = Buffer.from(payload);
    bad[17] = 0x58;
    t.match(m.replyFailure(encodeOpReply({ id: req.id, ok: true, payload: bad })), {
      kind: 'corrupt',
      stage: 'call',
      diff: { offset: 17, expected: /^3[12]/, got: /^58/ },
    });
    t.match(m.replyFailure(encodeOpReply({ id: req.id, ok: true, payload: payload.subarray(0, 5) })), {
      kind: 'corrupt',
      diff: { offset: 5, got: '(end)' },
    });
    t.match(m.replyFailure(encodeOpReply({ id: req.id, ok: false, reason: 'no' })), { kind: 'reply-fault' });
  },
);

t.test('a SOAP Echo must return its text; another operation only when expect says what', async (t) => {
  const payload = Buffer.alloc(40, 9);
  const reply = (m: ReturnType<ReturnType<typeof sessionMessages>>, result: string, name = 'Echo') => {
    const server = createSoapServerCodec({ encoding: 'binary-session' });
    const req = server.decodeRequest(m.request());
    return server.encodeReply({
      action: `http://tempuri.org/IInteropService/${name}Response`,
      relatesTo: req.messageId,
      body: el(`${name}Response`, TEMPURI, [el(`${name}Result`, TEMPURI, [result])]),
    });
  };
  const echo = sessionMessages(
    sessionOf(
      '{ payload: 40, soap: { operation: Echo, contract: IInteropService, params: { text: "{payload}" } } }',
    ),
    payload,
    VIA,
  );
  const text = payloadText(payload);
  t.equal(echo().replyFailure(reply(echo(), text)), undefined);
  const m = echo();
  t.match(m.replyFailure(reply(m, `${text.slice(0, 30)}X${text.slice(31)}`)), {
    kind: 'corrupt',
    diff: { offset: 30, got: /^"X/ },
  });
  const delay = sessionMessages(
    sessionOf('{ soap: { operation: Delay, contract: IInteropService, params: { ms: 1 } } }'),
    payload,
    VIA,
  );
  const d = delay();
  t.equal(d.replyFailure(reply(d, 'anything', 'Delay')), undefined, 'not an echo: not compared');
  const expecting = sessionMessages(
    sessionOf(
      '{ soap: { operation: Delay, contract: IInteropService, params: { ms: 1 }, expect: "slept 1 ms" } }',
    ),
    payload,
    VIA,
  );
  const x = expecting();
  t.match(x.replyFailure(reply(x, 'slept 2 ms', 'Delay')), { kind: 'corrupt', diff: { offset: 6 } });
});
