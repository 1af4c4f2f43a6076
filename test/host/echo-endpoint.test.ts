import fc from 'fast-check';
import t from 'tap';
import { startEchoEndpoint } from '../../host/echo-endpoint.ts';
import {
  encodeRecord,
  encodeRecords,
  type FramingRecord,
  Mode,
  sessionPreamble,
} from '../../protocol/index.ts';
import { keptConnection } from '../helpers/kept-connection.ts';
import { exchange } from '../helpers/raw.ts';

const faultOf = (records: FramingRecord[]): string | undefined => {
  const f = records.find((r) => r.type === 'fault');
  return f?.type === 'fault' ? f.uri.split('/').pop() : undefined;
};

t.test('every refusal gets its fault record, then a half-close', async (t) => {
  const echo = await startEchoEndpoint({ paths: ['/orders'] });
  t.teardown(() => echo.close());
  const via = echo.url('/orders');
  const cases: [string, Buffer, string][] = [
    ['unknown path', encodeRecords(sessionPreamble(echo.url('/elsewhere'), 8)), 'EndpointNotFound'],
    ['major version 2', Buffer.from([0x00, 0x02, 0x00]), 'UnsupportedVersion'],
    ['mode 0x07', Buffer.from([0x00, 0x01, 0x00, 0x01, 0x07]), 'UnsupportedMode'],
    ['simplex (not served here)', encodeRecords(sessionPreamble(via, 8, Mode.Simplex)), 'UnsupportedMode'],
    ['via of 3000 bytes', encodeRecords(sessionPreamble(`${via}/${'a'.repeat(3000)}`, 8)), 'ViaTooLong'],
    [
      'content type of 300 bytes',
      encodeRecords(sessionPreamble(via, `application/${'x'.repeat(300)}`)),
      'ContentTypeTooLong',
    ],
    [
      'an upgrade request',
      encodeRecords([
        ...sessionPreamble(via, 8).slice(0, 4),
        { type: 'upgrade-request', protocol: 'application/ssl-tls' },
        { type: 'preamble-end' },
      ]),
      'UpgradeInvalid',
    ],
  ];
  for (const [name, bytes, fault] of cases) {
    const x = await exchange(echo.port, [bytes]);
    t.equal(faultOf(x.records), fault, `${name}: fault`);
    t.equal(x.ended, 'fin', `${name}: half-closed after the fault`);
  }
});

t.test('a message larger than the endpoint accepts is MaxMessageSizeExceededFault', async (t) => {
  const echo = await startEchoEndpoint({ maxEnvelope: 100 });
  t.teardown(() => echo.close());
  const x = await exchange(echo.port, [
    encodeRecords(sessionPreamble(echo.url(), 8)),
    encodeRecord({ type: 'sized-envelope', payload: new Uint8Array(101) }),
  ]);
  t.same(
    x.records.map((r) => r.type),
    ['preamble-ack', 'fault'],
  );
  t.equal(faultOf(x.records), 'MaxMessageSizeExceededFault');
});

t.test('records out of order are aborted without a fault', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const x = await exchange(echo.port, [
    encodeRecords([{ type: 'version', major: 1, minor: 0 }, { type: 'end' }]),
  ]);
  t.equal(x.records.length, 0);
  t.equal(x.ended, 'reset');
});

t.test('a preamble that never finishes is cut off at receiveTimeout', async (t) => {
  const echo = await startEchoEndpoint({ receiveTimeoutMs: 100 });
  t.teardown(() => echo.close());
  const x = await exchange(echo.port, [Buffer.from([0x00, 0x01, 0x00])], 2000);
  t.equal(x.ended, 'reset');
});

t.test('messages pipelined right behind the preamble are answered after the Ack', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const x = await exchange(echo.port, [
    encodeRecords([
      ...sessionPreamble(echo.url(), 8),
      { type: 'sized-envelope', payload: Buffer.from('one') },
      { type: 'sized-envelope', payload: Buffer.from('two') },
      { type: 'end' },
    ]),
  ]);
  t.same(
    x.records.map((r) => r.type),
    ['preamble-ack', 'sized-envelope', 'sized-envelope', 'end'],
  );
  t.equal(x.ended, 'fin');
});

t.test('random and mutated preambles never crash the endpoint and leave no session open', async (t) => {
  const echo = await startEchoEndpoint({ receiveTimeoutMs: 300 });
  t.teardown(() => echo.close());
  const good = encodeRecords(sessionPreamble(echo.url(), 8));
  const inputs = fc.sample(
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
        const b = Buffer.from(good);
        b[i] = v;
        return b;
      }),
      fc.nat(good.length).map((n) => good.subarray(0, n)),
    ),
    { numRuns: 60, seed: 7 },
  );
  // Ten connections at a time: inputs that stall wait out receiveTimeout together.
  for (let i = 0; i < inputs.length; i += 10) {
    await Promise.all(inputs.slice(i, i + 10).map((input) => exchange(echo.port, [input], 1000)));
  }
  // Still serving:
  const ok = await exchange(echo.port, [good, encodeRecord({ type: 'end' })]);
  t.same(
    ok.records.map((r) => r.type),
    ['preamble-ack', 'end'],
  );
  await new Promise((r) => setTimeout(r, 50));
  t.equal(echo.sessions, 0, 'no session left open');
});

t.test('keepConnections: sessions one after another on one connection, counted', async (t) => {
  const echo = await startEchoEndpoint({ keepConnections: true });
  t.teardown(() => echo.close());
  const c = await keptConnection(echo.port);
  t.teardown(c.close);
  for (const path of ['/a', '/b']) {
    t.match(await c.open(echo.url(path)), { type: 'preamble-ack' });
    c.send([{ type: 'sized-envelope', payload: Buffer.from(path) }]);
    t.match(await c.next(), { type: 'sized-envelope' });
    t.match(await c.end(), { type: 'end' });
    t.equal(await c.closedWithin(50), 'open', `${path}: kept after End`);
  }
  t.equal(echo.accepted, 1);
  t.equal(echo.reused, 1);
  t.equal(echo.idle, 1, 'the connection waits for a third');
  c.socket.end();
  t.equal(await c.closedWithin(2000), 'fin');
  t.equal(echo.idle, 0);
});
