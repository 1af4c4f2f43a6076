import t from 'tap';
import { probeHttp } from '../../../clients/http/index.ts';
import { freePort } from '../../interop/programs.ts';
import { answer, echoReply, faultReply, httpServer, tcpServer } from './servers.ts';

const ECHO = { version: '1.1', operation: 'Echo', params: { text: 'probe' } } as const;

t.test('a probe makes one request on a fresh connection and says how it went', async (t) => {
  const srv = await httpServer(answer(200, echoReply('1.1', 'probe')));
  t.teardown(srv.close);
  const r = await probeHttp({ url: srv.url, soap: ECHO });
  t.match(r, { ok: true, status: 200 });
  t.equal(r.failure, undefined);
  t.ok(r.ms > 0);
  t.equal(srv.requests, 1);
});

t.test('a probe reports a status, a fault and a wrong echo as the load does', async (t) => {
  const cases = [
    [answer(503, 'no'), { kind: 'http-status', code: '503' }],
    [answer(500, faultReply('1.1', 'boom')), { kind: 'reply-fault', fault: 'Client', message: 'boom' }],
    [answer(200, echoReply('1.1', 'other')), { kind: 'corrupt' }],
  ] as const;
  for (const [reply, failure] of cases) {
    const srv = await httpServer(reply);
    const r = await probeHttp({ url: srv.url, soap: ECHO });
    await srv.close();
    t.match(r, { ok: false, failure: { ...failure, stage: 'call' } }, failure.kind);
  }
});

t.test('a probe reports refused, closed, not HTTP, and a timeout no sooner than its deadline', async (t) => {
  const port = await freePort();
  t.match(await probeHttp({ url: `http://127.0.0.1:${port}/`, request: {} }), {
    ok: false,
    failure: { kind: 'refused', stage: 'connect' },
  });
  const closing = await tcpServer((s) => s.once('data', () => s.end()));
  t.match(await probeHttp({ url: closing.url, request: {} }), {
    ok: false,
    failure: { kind: 'closed', stage: 'call' },
  });
  await closing.close();
  const garbage = await tcpServer((s) => s.once('data', () => s.end('SSH-2.0-OpenSSH\r\n\r\n')));
  t.match(await probeHttp({ url: garbage.url, request: {} }), { ok: false, failure: { kind: 'protocol' } });
  await garbage.close();
  const silent = await tcpServer(() => {});
  t.teardown(silent.close);
  const r = await probeHttp({ url: silent.url, request: {}, timeoutMs: 200 });
  t.match(r, { ok: false, failure: { kind: 'timeout', stage: 'call' } });
  t.ok(r.ms >= 199, `not before the deadline (${r.ms.toFixed(0)} ms)`);
});

t.test('a probe refuses a bad spec and a host off loopback before any traffic', async (t) => {
  await t.rejects(probeHttp({ url: 'net.tcp://127.0.0.1/x', request: {} }), { code: 'HTTP_BAD_SPEC' });
  await t.rejects(probeHttp({ url: 'http://192.0.2.1/', request: {} }), { code: 'CLIENT_REMOTE_TARGET' });
});
