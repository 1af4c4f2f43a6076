// The project's own client (clients/nettcp and the SOAP codec) calling the real CoreWCF service, directly
// and through the reference host's forwarding route.

import t from 'tap';
import { openSession, resolveNetTcpUrl } from '../../clients/nettcp/index.ts';
import { createSoapCodec, type SoapEncodingName } from '../../protocol/index.ts';
import { serviceBehindHost, skipReasons, startService, type RunningService } from './programs.ts';

const skip = skipReasons('service');
if (skip !== undefined) t.comment(`interop skipped: ${skip}`);

const session = async (svc: RunningService, path: string, encoding: SoapEncodingName) => {
  const url = `${svc.base}${path}`;
  const codec = createSoapCodec({ encoding, to: url, contract: 'IInteropService' });
  const opened = await openSession(await resolveNetTcpUrl(url), {
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
    callTimeoutMs: 20000,
  });
  return { codec, opened };
};

for (const [path, encoding] of [
  ['echo', 'binary-session'],
  ['text', 'soap12'],
] as const) {
  t.test(`${encoding}: echo, delay and a SOAP fault on /${path}`, { skip }, async (t) => {
    const svc = await startService();
    t.teardown(svc.stop);
    const { codec, opened } = await session(svc, path, encoding);
    if (!opened.ok) throw new Error(`open failed: ${JSON.stringify(opened.failure)}`);
    const s = opened.session;
    const call = async (operation: string, params: Record<string, string | number>) => {
      const r = await s.call(codec.encodeRequest({ operation, params }));
      if (!r.ok) throw new Error(`${operation} failed: ${JSON.stringify(r.failure)}`);
      return { reply: codec.decodeReply(r.reply), ms: r.ms };
    };
    const payload = 'x'.repeat(512);
    t.match((await call('Echo', { text: payload })).reply, { kind: 'reply', result: payload });
    t.match(
      (await call('Echo', { text: 'again' })).reply,
      { kind: 'reply', result: 'again' },
      'session strings reused',
    );
    const d = await call('Delay', { ms: 100 });
    t.match(d.reply, { kind: 'reply', result: 'slept 100 ms' });
    t.ok(d.ms >= 95, 'the delay took its time');
    t.match((await call('Fault', { reason: 'boom' })).reply, {
      kind: 'fault',
      code: 'Sender',
      reason: 'boom',
    });
    // Calls in flight at once come back to their callers by RelatesTo.
    const many = await Promise.all([1, 2, 3, 4, 5].map((i) => call('Echo', { text: `n${i}` })));
    t.same(
      many.map((m) => (m.reply.kind === 'reply' ? m.reply.result : m.reply.kind)),
      ['n1', 'n2', 'n3', 'n4', 'n5'],
    );
    t.equal(codec.undecodable, 0);
    t.match(await s.end(), { ok: true });
  });
}

t.test('an unknown action comes back as a SOAP fault and the session lives on', { skip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const { codec, opened } = await session(svc, 'echo', 'binary-session');
  if (!opened.ok) throw new Error('open failed');
  const r = await opened.session.call(
    codec.encodeRequest({ action: 'http://tempuri.org/IInteropService/Nope' }),
  );
  t.ok(r.ok);
  if (r.ok) {
    const reply = codec.decodeReply(r.reply);
    t.comment(`CoreWCF, unknown action: ${JSON.stringify({ ...reply, detail: undefined })}`);
    t.match(reply, { kind: 'fault', code: 'Sender', subcodes: ['ActionNotSupported'] });
  }
  await opened.session.end();
});

t.test('a wrong via is refused at the preamble with the framing fault CoreWCF sends', { skip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const target = await resolveNetTcpUrl(`${svc.base}no/such/path`);
  const opened = await openSession(target, { encoding: 'binary-session', openTimeoutMs: 20000 });
  t.comment(`CoreWCF, unknown via: ${JSON.stringify(opened.ok ? 'opened' : opened.failure)}`);
  t.match(opened, { ok: false, failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointNotFound' } });
});

// CoreWCF does not send ContentTypeInvalid (its source marks it as not done): it resets the connection with
// no fault record. The .NET Framework's listener sends the fault, which the stand-in models. Either refuses
// the session at the preamble.
t.test('an encoding the endpoint does not speak is refused at the preamble', { skip }, async (t) => {
  const svc = await startService();
  t.teardown(svc.stop);
  const opened = await openSession(await resolveNetTcpUrl(`${svc.base}echo`), {
    encoding: 'soap12',
    openTimeoutMs: 20000,
  });
  t.comment(
    `CoreWCF, SOAP 1.2 text to a NetTcpBinding endpoint: ${JSON.stringify(opened.ok ? 'opened' : opened.failure)}`,
  );
  t.equal(opened.ok, false);
  if (opened.ok) return;
  t.equal(opened.failure.stage, 'preamble');
  t.ok(
    opened.failure.kind === 'fault' || opened.failure.kind === 'reset' || opened.failure.kind === 'closed',
    `refused by a fault record or a reset, got ${opened.failure.kind}`,
  );
});

t.test(
  "our client calls the CoreWCF service through the reference host's forwarding route",
  { skip },
  async (t) => {
    const { svc, h } = await serviceBehindHost(t);
    for (const path of ['/echo', '/shared/orders']) {
      // To names the service (its address filter compares it); the session dials the host.
      const codec = createSoapCodec({
        encoding: 'binary-session',
        to: `${svc.base}echo`,
        contract: 'IInteropService',
      });
      const opened = await openSession(await resolveNetTcpUrl(h.url(path)), {
        encoding: codec.knownEncoding,
        correlate: codec.correlator,
        callTimeoutMs: 20000,
      });
      if (!opened.ok) throw new Error(`${path}: open failed: ${JSON.stringify(opened.failure)}`);
      const r = await opened.session.call(codec.encodeRequest({ operation: 'Echo', params: { text: path } }));
      t.match(r.ok && codec.decodeReply(r.reply), { kind: 'reply', result: path });
      t.match(await opened.session.end(), { ok: true });
    }
    // The via passed through names the host's port; CoreWCF looks it up by path alone.
    t.match(
      h.lines.find((l) => l.event === 'forward-open' && l.path === '/echo'),
      { via: h.url('/echo') },
    );
  },
);
