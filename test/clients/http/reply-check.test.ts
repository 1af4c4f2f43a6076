import fc from 'fast-check';
import t from 'tap';
import { memoised, plainReplyCheck, soapReplyCheck } from '../../../clients/http/index.ts';
import type { SoapVersion } from '../../../protocol/index.ts';
import { echoReply, faultReply } from './servers.ts';

const latin1 = (b: Buffer) => b.toString('latin1');

t.test('a SOAP check passes the expected echo and names what is wrong otherwise', async (t) => {
  const check = soapReplyCheck({ version: '1.1', result: 'hi' });
  t.equal(check(200, latin1(echoReply('1.1', 'hi'))), undefined);
  t.match(check(200, latin1(echoReply('1.1', 'ho'))), { kind: 'corrupt' });
  t.match(check(500, latin1(faultReply('1.1', 'x'))), { kind: 'reply-fault', fault: 'Client', message: 'x' });
  t.match(
    check(200, latin1(faultReply('1.1', 'x'))),
    { kind: 'reply-fault' },
    'a fault is a fault whatever the status',
  );
  t.match(check(500, 'Internal error'), { kind: 'http-status', code: '500' });
  t.match(check(200, latin1(echoReply('1.2', 'hi'))), { kind: 'protocol', code: 'SOAP_NOT_ENVELOPE' });
  t.equal(soapReplyCheck({ version: '1.1' })(200, latin1(echoReply('1.1', 'anything'))), undefined);
});

t.test('a plain check wants 2xx and, when given, the body byte for byte', async (t) => {
  t.equal(plainReplyCheck()(204, ''), undefined);
  t.match(plainReplyCheck()(404, 'no'), { kind: 'http-status', code: '404' });
  const want = Buffer.from('héllo');
  t.equal(plainReplyCheck(want)(200, latin1(want)), undefined);
  t.match(plainReplyCheck(want)(200, 'hello'), {
    kind: 'corrupt',
    message: /expected the body "héllo", got "hello"/,
  });
});

const version = fc.constantFrom<SoapVersion>('1.1', '1.2');
// Characters XML 1.0 can carry.
const xmlText = fc
  .string({ unit: 'binary', maxLength: 40 })
  // eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 forbids
  .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s));

t.test('an echo passes exactly when it carries what was sent', async () => {
  fc.assert(
    fc.property(version, xmlText, xmlText, (v, sent, echoed) => {
      const verdict = soapReplyCheck({ version: v, result: sent })(200, latin1(echoReply(v, echoed)));
      if ((verdict === undefined) !== (sent === echoed)) throw new Error(JSON.stringify(verdict));
      if (verdict !== undefined && verdict.kind !== 'corrupt') throw new Error(JSON.stringify(verdict));
    }),
    { numRuns: 500 },
  );
});

t.test('a check never throws, whatever the status and bytes', async () => {
  const seeds = [
    echoReply('1.1', 'a'),
    echoReply('1.2', 'a', 'urn:1'),
    faultReply('1.1', 'f'),
    faultReply('1.2', 'f'),
  ];
  fc.assert(
    fc.property(
      version,
      fc.integer({ min: 100, max: 599 }),
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc
          .tuple(
            fc.constantFrom(...seeds),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          )
          .map(([r, flips]) => {
            const b = Buffer.from(r);
            for (const [at, x] of flips) b[at % b.length] = x;
            return b;
          }),
      ),
      (v, status, body) => {
        const f = soapReplyCheck({ version: v, result: 'a', relatesTo: 'urn:1' })(status, latin1(body));
        if (f !== undefined && !['http-status', 'reply-fault', 'corrupt', 'protocol'].includes(f.kind))
          throw new Error(JSON.stringify(f));
      },
    ),
    { numRuns: 2000 },
  );
});

t.test('a remembered verdict is the verdict, for any sequence of replies', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom(200, 500), fc.constantFrom('a', 'b', 'c', 'zz', '')), {
        maxLength: 50,
      }),
      fc.integer({ min: 1, max: 3 }),
      (replies, max) => {
        const check = soapReplyCheck({ version: '1.1', result: 'a' });
        const m = memoised(check, max);
        for (const [status, text] of replies) {
          const body = text === 'zz' ? 'not xml' : latin1(echoReply('1.1', text));
          if (JSON.stringify(m(status, body)) !== JSON.stringify(check(status, body)))
            throw new Error('differs');
        }
      },
    ),
  );
});
