// The HTTP client against the SOAP stand-in's HTTP bindings (test/fixtures/programs/soap-service.ts
// --http-port): BasicHttpBinding (SOAP 1.1) at /basic, WSHttpBinding without security (SOAP 1.2) at /ws.

import { Agent, request } from 'node:http';
import t from 'tap';
import { prepareRequest, probeHttp, type SoapCallSpec, startHttpLoad } from '../../../clients/http/index.ts';
import { openSession, resolveNetTcpUrl } from '../../../clients/nettcp/index.ts';
import { type StandIn, startStandIn } from '../../interop/stand-in.ts';

let svc: StandIn;
t.before(async () => {
  svc = await startStandIn({ http: true });
});
t.teardown(() => svc.stop());

const BINDINGS = [
  { path: 'basic', version: '1.1', fault: 'Client', prefix: '' },
  { path: 'ws', version: '1.2', fault: 'Sender', prefix: 'Sender/' },
] as const;

for (const b of BINDINGS) {
  const call = (operation: string, params: SoapCallSpec['params'] = {}, extra: Partial<SoapCallSpec> = {}) =>
    probeHttp({
      url: `${svc.http!}${b.path}`,
      soap: { version: b.version, operation, params, ...extra },
      timeoutMs: 5000,
    });

  t.test(`SOAP ${b.version} at /${b.path}: echo, delay, and a fault as HTTP 500`, async (t) => {
    t.match(await call('Echo', { text: 'héllo <&> wörld' }), { ok: true, status: 200 });
    const d = await call('Delay', { ms: 100 });
    t.match(d, { ok: true, status: 200 });
    t.ok(d.ms >= 95, 'the delay took its time');
    t.match(await call('Fault', { reason: 'boom' }), {
      ok: false,
      status: 500,
      failure: { kind: 'reply-fault', fault: b.fault, message: 'boom' },
    });
    t.match(await call('Nope'), {
      status: 500,
      failure: {
        kind: 'reply-fault',
        fault: `${b.prefix}ActionNotSupported`,
        message: /ContractFilter mismatch/,
      },
    });
  });

  t.test(
    `SOAP ${b.version} at /${b.path}: a closed load with pipelining and an open load, every reply checked`,
    async (t) => {
      const soap = { version: b.version, operation: 'Echo', params: { text: 'load' } };
      const closed = await startHttpLoad({
        url: `${svc.http!}${b.path}`,
        soap,
        model: 'constant-sessions',
        connections: 2,
        pipelining: 2,
        duration: 300,
      });
      await closed.done;
      const c = await closed.stop(5000);
      t.ok(c.ok > 0);
      t.match(c, { started: c.ok, failed: {} });
      const open = await startHttpLoad({
        url: `${svc.http!}${b.path}`,
        soap,
        model: 'constant-arrival-rate',
        rate: 50,
        duration: 400,
        connections: 2,
      });
      await open.done;
      t.match(await open.stop(5000), { started: 20, ok: 20, failed: {}, dropped: 0 });
    },
  );
}

t.test('/ws checks the To address as WCF does: another endpoint is DestinationUnreachable', async (t) => {
  t.match(
    await probeHttp({
      url: `${svc.http!}ws`,
      soap: { version: '1.2', operation: 'Echo', params: { text: 'x' }, to: 'http://127.0.0.1:1/elsewhere' },
    }),
    { status: 500, failure: { kind: 'reply-fault', fault: 'Sender/DestinationUnreachable' } },
  );
});

t.test(
  'the HTTP endpoints refuse what WCF refuses: the other content type, other paths and methods',
  async (t) => {
    t.match(await probeHttp({ url: `${svc.http!}basic`, soap: { version: '1.2', operation: 'Echo' } }), {
      status: 415,
      failure: { kind: 'http-status', code: '415' },
    });
    t.match(await probeHttp({ url: `${svc.http!}ws`, soap: { version: '1.1', operation: 'Echo' } }), {
      status: 415,
      failure: { kind: 'http-status', code: '415' },
    });
    t.match(await probeHttp({ url: `${svc.http!}nowhere`, request: {} }), { status: 404 });
    t.match(await probeHttp({ url: `${svc.http!}basic`, request: {} }), { status: 405 });
    t.match(
      await probeHttp({
        url: `${svc.http!}basic`,
        request: { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<not-soap/>' },
      }),
      { status: 400 },
    );
  },
);

t.test('the stand-in still speaks net.tcp beside HTTP', async (t) => {
  t.match(svc.base, /^net\.tcp:\/\/127\.0\.0\.1:\d+\/$/);
  t.match(svc.http, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

t.test(
  'SIGHUP recycles the HTTP binding too: a call in flight completes, then clients move on',
  async (t) => {
    const own = await startStandIn({ http: true });
    t.teardown(own.stop);
    const url = `${own.http!}basic`;
    const req = prepareRequest({ url, soap: { version: '1.1', operation: 'Delay', params: { ms: 300 } } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.teardown(() => agent.destroy());
    // One request on the kept-alive connection: its status, Connection header and the local port it left from.
    const send = (body: Buffer) =>
      new Promise<{ status: number; connection: string | undefined; port: number }>((resolve, reject) => {
        const r = request(
          url,
          { method: 'POST', headers: { ...req.headers, 'Content-Length': body.length }, agent },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                connection: res.headers.connection,
                port: r.socket!.localPort!,
              }),
            );
          },
        );
        r.on('error', reject);
        r.end(body);
      });
    const first = await send(req.body);
    const slow = send(req.body);
    await new Promise((r) => setTimeout(r, 50));
    await own.recycle();
    t.match(
      await slow,
      { status: 200, connection: 'close', port: first.port },
      'answered on its old connection, which then closes',
    );
    const echo = prepareRequest({
      url,
      soap: { version: '1.1', operation: 'Echo', params: { text: 'new' } },
    });
    const after = await send(echo.body);
    t.equal(after.status, 200);
    t.not(after.port, first.port, 'a new connection, served by the new worker');
    t.equal(after.connection, 'keep-alive');
    t.match(await probeHttp({ url, soap: { version: '1.1', operation: 'Echo', params: { text: 'x' } } }), {
      ok: true,
    });
  },
);

t.test('with --recycle-gap both bindings refuse during the gap, then answer again', async (t) => {
  const own = await startStandIn({ http: true, recycleGap: 3000 });
  t.teardown(own.stop);
  const echo = { version: '1.1', operation: 'Echo', params: { text: 'x' } } as const;
  const tcp = await resolveNetTcpUrl(`${own.base}echo`);
  let recycledYet = false;
  const recycled = own.recycle().then(() => (recycledYet = true));
  // Once the signal took effect (the HTTP port refuses), the net.tcp one refuses too, until the gap ends.
  let http = await probeHttp({ url: `${own.http!}basic`, soap: echo });
  for (let i = 0; i < 100 && !recycledYet && http.failure?.kind !== 'refused'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    http = await probeHttp({ url: `${own.http!}basic`, soap: echo });
  }
  const session = await openSession(tcp, { openTimeoutMs: 1000 });
  const stillInGap = !recycledYet;
  await recycled;
  t.ok(stillInGap, 'probed within the gap');
  t.match(http, { ok: false, failure: { kind: 'refused' } });
  t.match(session, { ok: false, failure: { kind: 'refused' } });
  t.match(await probeHttp({ url: `${own.http!}basic`, soap: echo }), { ok: true });
  const again = await openSession(tcp, { openTimeoutMs: 2000 });
  t.ok(again.ok, 'net.tcp listens again');
  if (again.ok) again.session.abort();
});
