// The project's client and SOAP codec against a loopback peer that answers with the bytes a real WCF
// service sent in the captured session: the real-stack check that runs everywhere, .NET or not.

import { createServer, type Socket } from 'node:net';
import t, { type Test } from 'tap';
import { openSession, resolveNetTcpUrl } from '../../clients/nettcp/index.ts';
import { createSoapCodec, encodeRecord, FramingDecoder, type FramingRecord } from '../../protocol/index.ts';
import { capturedEnvelopes, capturedMessageIds } from '../protocol/soap/captured.ts';

const replies = capturedEnvelopes.filter((e) => e.dir === 's>c').map((e) => e.payload);

// Acks the preamble; once both requests are in, sends the captured replies in their captured order.
const replayServer = async (): Promise<{
  port: number;
  received: FramingRecord[];
  close: () => Promise<void>;
}> => {
  const sockets = new Set<Socket>();
  const received: FramingRecord[] = [];
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    const d = new FramingDecoder();
    let requests = 0;
    s.on('data', (c: Buffer) => {
      for (const r of d.push(c)) {
        received.push(r);
        if (r.type === 'preamble-end') s.write(encodeRecord({ type: 'preamble-ack' }));
        if (r.type === 'sized-envelope' && ++requests === replies.length) {
          for (const payload of replies) s.write(encodeRecord({ type: 'sized-envelope', payload }));
        }
        if (r.type === 'end') s.end(encodeRecord({ type: 'end' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};

// A session of the project's client and binary-session codec with a fresh replay server.
const replaySession = async (t: Test) => {
  const srv = await replayServer();
  t.teardown(srv.close);
  const url = `net.tcp://127.0.0.1:${srv.port}/Service1`;
  const codec = createSoapCodec({ encoding: 'binary-session', to: url, contract: 'IService1' });
  const opened = await openSession(await resolveNetTcpUrl(url), {
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.failure));
  return { srv, url, codec, s: opened.session };
};

t.test('replies a WCF service sent reach the calls they answer, by RelatesTo, not by order', async (t) => {
  const { srv, url, codec, s } = await replaySession(t);
  // The second captured call goes first: FIFO matching would hand it the first reply.
  const second = s.call(
    codec.encodeRequest({ operation: 'GetData', params: { value: 0 }, messageId: capturedMessageIds[1] }),
  );
  const first = s.call(
    codec.encodeRequest({ operation: 'GetData', params: { value: 1337 }, messageId: capturedMessageIds[0] }),
  );
  const [r2, r1] = await Promise.all([second, first]);
  t.ok(r1.ok && r2.ok);
  if (r1.ok && r2.ok) {
    t.match(codec.decodeReply(r2.reply), {
      kind: 'reply',
      result: 'You entered: 0',
      relatesTo: capturedMessageIds[1],
    });
    t.match(codec.decodeReply(r1.reply), {
      kind: 'reply',
      result: 'You entered: 1337',
      relatesTo: capturedMessageIds[0],
    });
  }
  t.match(await s.end(), { ok: true });
  t.match(srv.received.slice(0, 5), [
    { type: 'version' },
    { type: 'mode', mode: 2 },
    { type: 'via', via: url },
    { type: 'known-encoding', encoding: 0x08 },
    { type: 'preamble-end' },
  ]);
  t.equal(codec.undecodable, 0);
});

t.test(
  'a reply that no call waits for still feeds the session strings, so later replies decode',
  async (t) => {
    const { codec, s } = await replaySession(t);
    // The first call gives up before its reply (which carries the strings the second reply uses) arrives.
    const early = s.call(
      codec.encodeRequest({
        operation: 'GetData',
        params: { value: 1337 },
        messageId: capturedMessageIds[0],
      }),
      { timeoutMs: 1 },
    );
    await new Promise((r) => setTimeout(r, 20));
    const later = s.call(
      codec.encodeRequest({ operation: 'GetData', params: { value: 0 }, messageId: capturedMessageIds[1] }),
    );
    t.match(await early, { ok: false, failure: { kind: 'timeout' } });
    const r = await later;
    t.ok(r.ok);
    if (r.ok) t.match(codec.decodeReply(r.reply), { result: 'You entered: 0' });
    await s.end();
  },
);
