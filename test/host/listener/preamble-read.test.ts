import fc from 'fast-check';
import { createServer, connect, type Server, type Socket } from 'node:net';
import t from 'tap';
import { readPreamble, type PreambleRead } from '../../../host/listener/preamble-read.ts';
import { encodeRecords, Mode, sessionPreamble } from '../../../protocol/index.ts';

// A loopback server whose connections are read with readPreamble; the client writes `writes` one by one.
const readOver = async (writes: Uint8Array[], timeoutMs = 500): Promise<PreambleRead> => {
  let server: Server | undefined;
  const result = new Promise<PreambleRead>((resolve) => {
    server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (s: Socket) => {
      s.on('error', () => {});
      void readPreamble(s, timeoutMs).then((r) => {
        s.destroy();
        resolve(r);
      });
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const c = connect((server!.address() as { port: number }).port, '127.0.0.1');
  c.on('error', () => {});
  const writeAll = async (): Promise<void> => {
    for (const w of writes) {
      c.write(w);
      await new Promise((r) => setImmediate(r));
    }
  };
  c.on('connect', () => void writeAll());
  const r = await result;
  c.destroy();
  server!.close();
  return r;
};

const VIA = 'net.tcp://localhost/orders';
const good = encodeRecords(sessionPreamble(VIA, 8));

t.test('reads up to the encoding and keeps every byte it read', async (t) => {
  const r = await readOver([good]);
  t.match(r, { ok: true, preamble: { via: VIA, mode: Mode.Duplex, encoding: 8 } });
  t.same(r.ok && [...r.bytes], [...good], 'PreambleEnd came in the same chunk and is kept');
});

t.test('the same preamble in any chunking reads the same', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: good.length - 1 }), { maxLength: 4 }),
      async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const writes = [0, ...points].map((p, i) => good.subarray(p, points[i] ?? good.length));
        const r = await readOver(writes);
        return (
          r.ok && r.preamble.via === VIA && Buffer.from(good).subarray(0, r.bytes.length).equals(r.bytes)
        );
      },
    ),
    { numRuns: 15 },
  );
  t.pass('every chunking read the preamble');
});

t.test('bad preambles get the fault a .NET listener sends, or none', async (t) => {
  t.match(await readOver([Buffer.from([0x00, 0x02, 0x00])]), { ok: false, fault: 'UnsupportedVersion' });
  t.match(await readOver([encodeRecords(sessionPreamble(VIA, 8, Mode.Simplex))]), {
    ok: false,
    fault: 'UnsupportedMode',
  });
  t.match(await readOver([encodeRecords(sessionPreamble(`${VIA}/${'v'.repeat(2100)}`, 8))]), {
    ok: false,
    fault: 'ViaTooLong',
  });
  t.match(await readOver([encodeRecords([{ type: 'version', major: 1, minor: 0 }, { type: 'end' }])]), {
    ok: false,
    fault: undefined,
  });
  t.match(await readOver([Buffer.from([0x00, 0x01])], 100), {
    ok: false,
    fault: undefined,
    reason: /receiveTimeout/,
  });
});

t.test('random bytes never throw: the read ends with a result', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), async (bytes) => {
      const r = await readOver(bytes.length === 0 ? [] : [bytes], 100);
      return typeof r.ok === 'boolean';
    }),
    { numRuns: 25 },
  );
  t.pass('every input ended in a result');
});
