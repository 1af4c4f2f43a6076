// The project's client and SOAP codec against the SOAP stand-in service (test/fixtures/programs/
// soap-service.ts), which runs everywhere; its replies are held to .NET's own binary XML reader where
// interop/nbfx-oracle is built.

import t from 'tap';
import { openSession, resolveNetTcpUrl, type NetTcpSession } from '../../clients/nettcp/index.ts';
import {
  createSoapCodec,
  NBFS_STRINGS,
  type SoapCodec,
  type SoapEncodingName,
  WSA10_FAULT_ACTION,
} from '../../protocol/index.ts';
import { keptConnection } from '../helpers/kept-connection.ts';
import { runOracle, skipReason } from './programs.ts';
import { type StandIn, startStandIn } from './stand-in.ts';

const session = async (
  url: string,
  encoding: SoapEncodingName,
  to = url,
): Promise<{ codec: SoapCodec; s: NetTcpSession }> => {
  const codec = createSoapCodec({ encoding, to, contract: 'IInteropService' });
  const opened = await openSession(await resolveNetTcpUrl(url), {
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
  });
  if (!opened.ok) throw new Error(`open failed: ${JSON.stringify(opened.failure)}`);
  return { codec, s: opened.session };
};

const call = async (
  c: { codec: SoapCodec; s: NetTcpSession },
  operation: string,
  params: Record<string, string | number> = {},
) => {
  const r = await c.s.call(c.codec.encodeRequest({ operation, params }));
  if (!r.ok) throw new Error(`${operation} failed: ${JSON.stringify(r.failure)}`);
  return { reply: c.codec.decodeReply(r.reply), ms: r.ms };
};

let svc: StandIn;
t.before(async () => {
  svc = await startStandIn();
});
t.teardown(() => svc.stop());

for (const [path, encoding] of [
  ['echo', 'binary-session'],
  ['text', 'soap12'],
] as const) {
  t.test(`${encoding}: echo, delay and a SOAP fault on /${path}, replies by RelatesTo`, async (t) => {
    const c = await session(`${svc.base}${path}`, encoding);
    const payload = 'x'.repeat(512);
    t.match((await call(c, 'Echo', { text: payload })).reply, { kind: 'reply', result: payload });
    t.match((await call(c, 'Echo', { text: 'again' })).reply, { kind: 'reply', result: 'again' });
    const d = await call(c, 'Delay', { ms: 100 });
    t.match(d.reply, { kind: 'reply', result: 'slept 100 ms' });
    t.ok(d.ms >= 95, 'the delay took its time');
    t.match((await call(c, 'Fault', { reason: 'boom' })).reply, {
      kind: 'fault',
      code: 'Sender',
      subcodes: [],
      reason: 'boom',
    });
    const many = await Promise.all([1, 2, 3, 4, 5].map((i) => call(c, 'Echo', { text: `n${i}` })));
    t.same(
      many.map((m) => (m.reply.kind === 'reply' ? m.reply.result : m.reply.kind)),
      ['n1', 'n2', 'n3', 'n4', 'n5'],
    );
    t.equal(c.codec.undecodable, 0);
    t.match(await c.s.end(), { ok: true });
  });
}

t.test('calls of one session run one at a time, as WCF runs them by default', async (t) => {
  const c = await session(`${svc.base}echo`, 'binary-session');
  const started = performance.now();
  await Promise.all([call(c, 'Delay', { ms: 150 }), call(c, 'Delay', { ms: 150 })]);
  t.ok(performance.now() - started >= 290, 'the second waited for the first');
  await c.s.end();
});

t.test('an unknown action and a To for another endpoint are SOAP faults; the session lives on', async (t) => {
  const c = await session(`${svc.base}echo`, 'binary-session');
  const r = await c.s.call(c.codec.encodeRequest({ action: 'http://tempuri.org/IInteropService/Nope' }));
  t.match(r.ok && c.codec.decodeReply(r.reply), {
    kind: 'fault',
    action: WSA10_FAULT_ACTION,
    code: 'Sender',
    subcodes: ['ActionNotSupported'],
    reason: /ContractFilter mismatch/,
  });
  // The To names another port: WCF's address filter refuses it.
  const other = await session(`${svc.base}echo`, 'binary-session', 'net.tcp://127.0.0.1:1/echo');
  t.match((await call(other, 'Echo', { text: 'x' })).reply, {
    kind: 'fault',
    subcodes: ['DestinationUnreachable'],
    reason: /AddressFilter mismatch/,
  });
  t.match((await call(c, 'Echo', { text: 'still here' })).reply, { result: 'still here' });
  await c.s.end();
  await other.s.end();
});

t.test('with --any-address any To is served (AddressFilterMode.Any)', async (t) => {
  const any = await startStandIn({ anyAddress: true });
  t.teardown(any.stop);
  const c = await session(`${any.base}echo`, 'binary-session', 'net.tcp://elsewhere:808/echo');
  t.match((await call(c, 'Echo', { text: 'routed' })).reply, { kind: 'reply', result: 'routed' });
  await c.s.end();
});

t.test('the via routes by path alone; a wrong via or encoding is refused at the preamble', async (t) => {
  // Host and port are not compared (StrongWildcard); case and deeper segments are fine.
  const alias = await openSession(
    { ...(await resolveNetTcpUrl(`${svc.base}echo`)), via: 'net.tcp://some-alias:808/ECHO/deeper' },
    { encoding: 'binary-session' },
  );
  t.ok(alias.ok, 'another host, port, case and a deeper path reach /echo');
  if (alias.ok) await alias.session.end();
  const wrong = await openSession(await resolveNetTcpUrl(`${svc.base}no/such/path`), {});
  t.match(wrong, { ok: false, failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointNotFound' } });
  const prefix = await openSession(await resolveNetTcpUrl(`${svc.base}echoes`), {});
  t.match(prefix, { ok: false, failure: { fault: 'EndpointNotFound' } }, 'prefixes match whole segments');
  const enc = await openSession(await resolveNetTcpUrl(`${svc.base}echo`), { encoding: 'soap12' });
  t.match(enc, { ok: false, failure: { kind: 'fault', stage: 'preamble', fault: 'ContentTypeInvalid' } });
});

t.test('with --exact-host the via must name its own host and port too', async (t) => {
  const exact = await startStandIn({ exactHost: true });
  t.teardown(exact.stop);
  const own = await openSession(await resolveNetTcpUrl(`${exact.base}echo`), {});
  t.ok(own.ok);
  if (own.ok) await own.session.end();
  const other = await openSession(
    { ...(await resolveNetTcpUrl(`${exact.base}echo`)), via: 'net.tcp://127.0.0.1:1/echo' },
    {},
  );
  t.match(other, { ok: false, failure: { fault: 'EndpointNotFound' } });
});

t.test('a cleanly ended session leaves its connection for the next one, on any endpoint', async (t) => {
  const c = await keptConnection(svc.port);
  t.teardown(c.close);
  for (const [path, encoding, known] of [
    ['echo', 'binary-session', 0x08],
    ['text', 'soap12', 0x03],
    ['echo', 'binary-session', 0x08],
  ] as const) {
    // Each session has its own codec, as each has its own string tables.
    const codec = createSoapCodec({ encoding, to: `${svc.base}${path}`, contract: 'IInteropService' });
    t.match(await c.open(`${svc.base}${path}`, known), { type: 'preamble-ack' }, `/${path}: Ack`);
    c.send([
      { type: 'sized-envelope', payload: codec.encodeRequest({ operation: 'Echo', params: { text: path } }) },
    ]);
    const r = await c.next();
    t.match(typeof r === 'string' ? r : r.type === 'sized-envelope' && codec.decodeReply(r.payload), {
      kind: 'reply',
      result: path,
    });
    t.match(await c.end(), { type: 'end' });
    t.equal(await c.closedWithin(50), 'open', `/${path}: kept after End`);
  }
  t.match(await c.open(`${svc.base}nowhere`), { type: 'fault', uri: /EndpointNotFound$/ });
  t.equal(await c.closedWithin(2000), 'fin');
});

t.test('SIGHUP recycles with overlap: open sessions finish, new ones are served', async (t) => {
  const c = await session(`${svc.base}echo`, 'binary-session');
  const slow = call(c, 'Delay', { ms: 300 });
  await svc.recycle();
  t.match((await slow).reply, { result: 'slept 300 ms' }, 'the call in flight completed');
  t.match((await call(c, 'Echo', { text: 'old' })).reply, { result: 'old' }, 'the old session still works');
  const fresh = await session(`${svc.base}echo`, 'binary-session');
  t.match((await call(fresh, 'Echo', { text: 'new' })).reply, { result: 'new' });
  await c.s.end();
  await fresh.s.end();
});

const oracleSkip = skipReason('nbfx-oracle');
if (oracleSkip !== undefined) t.comment(`nbfx oracle skipped: ${oracleSkip}`);

t.test(
  "the stand-in's replies and faults, as it sent them, read in .NET as WCF's",
  { skip: oracleSkip },
  async (t) => {
    const c = await session(`${svc.base}echo`, 'binary-session');
    // Every message the stand-in sent on this session, in order: one direction of its string table.
    const sent: Uint8Array[] = [];
    const calls: [string | undefined, Record<string, string>][] = [
      ['Echo', { text: 'hello' }],
      ['Echo', { text: 'x'.repeat(300) }],
      ['Echo', { text: 'hello' }],
      ['Fault', { reason: 'boom' }],
      [undefined, {}],
    ];
    for (const [operation, params] of calls) {
      const r = await c.s.call(
        c.codec.encodeRequest(
          operation === undefined
            ? { action: 'http://tempuri.org/IInteropService/Nope' }
            : { operation, params },
        ),
      );
      if (!r.ok) throw new Error(JSON.stringify(r.failure));
      sent.push(r.reply);
    }
    await c.s.end();
    const answers = await runOracle(
      NBFS_STRINGS,
      sent.map((b) => ({ op: 'read' as const, session: 'stand-in', hex: Buffer.from(b).toString('hex') })),
    );
    t.same(
      answers.filter((a) => !a.ok),
      [],
      'every message read',
    );
    const xml = answers.map((a) => (a.ok ? a.xml! : ''));
    t.match(
      xml[0],
      /<a:Action s:mustUnderstand="1">http:\/\/tempuri.org\/IInteropService\/EchoResponse<\/a:Action>/,
    );
    t.match(xml[0], /<a:RelatesTo>urn:uuid:[0-9a-f-]{36}<\/a:RelatesTo>/);
    t.match(
      xml[0],
      /<a:To s:mustUnderstand="1">http:\/\/www.w3.org\/2005\/08\/addressing\/anonymous<\/a:To>/,
    );
    t.match(
      xml[0],
      /<EchoResponse xmlns="http:\/\/tempuri.org\/"><EchoResult>hello<\/EchoResult><\/EchoResponse>/,
    );
    t.match(xml[1], /<EchoResult>x{300}<\/EchoResult>/);
    t.match(xml[2], /<EchoResult>hello<\/EchoResult>/, 'strings from earlier messages resolve in .NET');
    t.match(
      xml[3],
      /<s:Fault><s:Code><s:Value>s:Sender<\/s:Value><\/s:Code><s:Reason><s:Text xml:lang="en-US">boom<\/s:Text><\/s:Reason><\/s:Fault>/,
    );
    t.match(xml[4], /<s:Subcode><s:Value>a:ActionNotSupported<\/s:Value><\/s:Subcode>/);
  },
);
