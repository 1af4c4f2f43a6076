import fc from 'fast-check';
import t from 'tap';
import { isLoopbackHost, parseUpstream, replayBytes, upstreamVia } from '../../../host/listener/upstream.ts';
import { encodeMbint, encodeRecords, FramingDecoder, type FramingRecord } from '../../../protocol/index.ts';
import { canon } from '../../helpers/chunking.ts';

t.test('an upstream address is net.tcp://HOST[:PORT][/PATH], port 808 when absent', async (t) => {
  t.same(parseUpstream('net.tcp://127.0.0.1:9000/orders'), {
    host: '127.0.0.1',
    port: 9000,
    path: '/orders',
    url: 'net.tcp://127.0.0.1:9000/orders',
  });
  t.match(parseUpstream('net.tcp://localhost'), { host: 'localhost', port: 808, path: '/' });
  t.match(parseUpstream('net.tcp://[::1]:1/x'), { host: '::1', port: 1 });
  for (const bad of ['http://127.0.0.1/x', 'net.tcp:///x', 'net.tcp://u:p@127.0.0.1/x', 'nonsense', ''])
    t.equal(parseUpstream(bad), undefined, bad);
});

t.test('loopback is 127.0.0.0/8, ::1, IPv4-mapped 127.x and localhost, without resolving', async (t) => {
  for (const h of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'])
    t.ok(isLoopbackHost(h), h);
  for (const h of ['10.0.0.1', '::2', 'example.com', '128.0.0.1', 'localhost.example.com'])
    t.notOk(isLoopbackHost(h), h);
});

t.test(
  'pass keeps the client via; rewrite puts the upstream address before the rest of the path',
  async (t) => {
    const up = parseUpstream('net.tcp://127.0.0.1:9000/svc')!;
    const via = 'net.tcp://host.example:808/orders/v2/x?q=1';
    t.equal(upstreamVia(via, '/orders', up, 'pass'), via);
    t.equal(upstreamVia(via, '/orders', up, 'rewrite'), 'net.tcp://127.0.0.1:9000/svc/v2/x?q=1');
    t.equal(upstreamVia('net.tcp://h/orders', '/orders', up, 'rewrite'), 'net.tcp://127.0.0.1:9000/svc');
    t.equal(upstreamVia('net.tcp://h/orders', '/orders/', up, 'rewrite'), 'net.tcp://127.0.0.1:9000/svc');
    t.equal(upstreamVia('net.tcp://h/a/b', '/', up, 'rewrite'), 'net.tcp://127.0.0.1:9000/svc/a/b');
    const root = parseUpstream('net.tcp://[::1]:7/')!;
    t.equal(upstreamVia('net.tcp://h/orders', '/orders', root, 'rewrite'), 'net.tcp://[::1]:7/');
  },
);

// A duplex preamble as a client may write it: the via's length in any valid mbint form (overlong ones
// included, which .NET accepts), then whatever the client pipelined behind the encoding.
const overlong = (n: number, extra: number): Buffer => {
  const min = [...encodeMbint(n)];
  if (extra === 0) return Buffer.from(min);
  min[min.length - 1]! |= 0x80;
  return Buffer.from([...min, ...Array<number>(extra - 1).fill(0x80), 0x00]);
};

const viaArb = fc
  .array(fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/), { minLength: 1, maxLength: 5 })
  .map((segs) => `net.tcp://127.0.0.1:808/${segs.join('/')}`);

t.test('the replayed preamble differs from what was read only in its Via record', async (t) => {
  fc.assert(
    fc.property(
      viaArb,
      viaArb,
      fc.integer({ min: 0, max: 3 }),
      fc.uint8Array({ maxLength: 300 }),
      (clientVia, newVia, extra, payload) => {
        const via = Buffer.from(clientVia);
        const head = Buffer.concat([
          Buffer.from([0x00, 0x01, 0x00, 0x01, 0x02, 0x02]),
          overlong(via.length, Math.min(extra, 5 - encodeMbint(via.length).length)),
          via,
          Buffer.from([0x03, 0x08]),
        ]);
        const tail = encodeRecords([{ type: 'preamble-end' }, { type: 'sized-envelope', payload }]);
        const read = Buffer.concat([head, tail]);
        const out = replayBytes(read, clientVia, newVia);
        const records = (b: Buffer): FramingRecord[] => new FramingDecoder().push(b);
        const expected = canon(records(read)).map((r) =>
          (r as FramingRecord).type === 'via' ? { type: 'via', via: newVia } : r,
        );
        return (
          JSON.stringify(canon(records(out))) === JSON.stringify(expected) &&
          out.subarray(0, 5).equals(read.subarray(0, 5)) &&
          out.subarray(out.length - tail.length - 2).equals(read.subarray(read.length - tail.length - 2))
        );
      },
    ),
    { numRuns: 300 },
  );
  const same = Buffer.from([1, 2, 3]);
  t.equal(
    replayBytes(same, 'net.tcp://a/x', 'net.tcp://a/x'),
    same,
    'an unchanged via replays the bytes read',
  );
});
