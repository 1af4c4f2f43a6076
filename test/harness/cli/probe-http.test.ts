// `nettcp-chaos probe http://...` through the command line, against the SOAP stand-in's HTTP bindings and
// servers that answer wrongly.

import t from 'tap';
import { probeCommand } from '../../../harness/cli/probe.ts';
import { httpRequestOfFlags, probeHttpUrl, renderHttpProbe } from '../../../harness/cli/probe-http.ts';
import { runCli } from '../../helpers/cli.ts';
import { answer, echoReply, faultReply, httpServer } from '../../clients/http/servers.ts';
import { startStandIn } from '../../interop/stand-in.ts';

t.test('probe http:// calls Echo over SOAP 1.1 by default, SOAP 1.2 with --soap 1.2', async (t) => {
  const svc = await startStandIn({ http: true });
  t.teardown(svc.stop);
  const r = await runCli(['probe', `${svc.http!}basic`, '--calls', '3']);
  t.equal(r.exitCode, 0, String(r.stdout));
  const out = String(r.stdout);
  t.match(
    out,
    /^probe http:\/\/127\.0\.0\.1:\d+\/basic \(127\.0\.0\.1:\d+; SOAP 1\.1 Echo, a fresh connection each\)/,
  );
  t.match(out, /ok {2}request 3 +[\d.]+ms {2}HTTP 200/);
  t.match(out, 'ok: 3 requests answered');
  const ws = await runCli([
    'probe',
    `${svc.http!}ws`,
    '--soap',
    '1.2',
    '--operation',
    'Delay',
    '--param',
    'ms=10',
    '--json',
  ]);
  t.equal(ws.exitCode, 0, String(ws.stdout));
  t.match(JSON.parse(String(ws.stdout)), {
    ok: true,
    sends: 'SOAP 1.2 Delay',
    requests: [{ ok: true, status: 200 }],
  });
  // SOAP 1.1 to the SOAP 1.2 endpoint: 415, as WCF answers it.
  const wrong = await runCli(['probe', `${svc.http!}ws`]);
  t.equal(wrong.exitCode, 1);
  t.match(String(wrong.stdout), 'failed: the server answered HTTP 415 (http-status during the request)');
});

t.test('a 500, a SOAP fault and a wrong echo fail the probe, each said as it is', async (t) => {
  const cases = [
    [answer(500, 'boom'), 'failed: the server answered HTTP 500'],
    [answer(500, faultReply('1.1', 'no way')), 'failed: SOAP fault Client: no way'],
    [answer(200, echoReply('1.1', 'other')), /failed: a wrong reply: expected the result "hi", got "other"/],
  ] as const;
  for (const [reply, said] of cases) {
    const srv = await httpServer(reply);
    const spec = httpRequestOfFlags(
      srv.url,
      { param: ['text=hi'] },
      { timeoutMs: 2000, allowRemote: false, text: '' },
    );
    const r = await probeHttpUrl({ spec, requests: 2 });
    await srv.close();
    t.equal(r.ok, false);
    t.equal(r.requests.length, 1, 'it stops at the first failure');
    t.match(renderHttpProbe(r), said);
  }
});

t.test('a plain request with --method, --header, --body, --expect-body', async (t) => {
  const seen: string[] = [];
  const srv = await httpServer((req, body, res) => {
    seen.push(`${req.method} ${req.url} ${String(req.headers['x-a'])} ${body.toString()}`);
    res.writeHead(200).end('pong');
  });
  t.teardown(srv.close);
  const ok = await runCli([
    'probe',
    srv.url,
    '--method',
    'PUT',
    '--header',
    'X-A: b',
    '--body',
    'ping',
    '--expect-body',
    'pong',
  ]);
  t.equal(ok.exitCode, 0, String(ok.stdout));
  t.same(seen, ['PUT /svc b ping']);
  t.match(String(ok.stdout), 'PUT /svc');
  const bad = await runCli(['probe', srv.url, '--expect-body', 'other']);
  t.equal(bad.exitCode, 1);
  t.match(String(bad.stdout), 'failed: a wrong reply');
});

t.test('flags of the other protocol are refused as usage errors', async (t) => {
  const usage = (argv: string[], message: RegExp) =>
    t.rejects(probeCommand(argv), { code: 'CLI_USAGE', message });
  await usage(['http://127.0.0.1:1/x', '--encoding', 'soap12'], /--encoding goes with a net\.tcp URL/);
  await usage(['net.tcp://127.0.0.1:1/x', '--soap', '1.2'], /--soap goes with an http:\/\/ URL/);
  await usage(
    ['http://127.0.0.1:1/x', '--body', 'x', '--operation', 'Echo'],
    /--operation goes with a SOAP call, not a plain request/,
  );
  await usage(['http://192.0.2.9/x'], /not loopback/);
});

t.test('header and param flags are read as NAME: VALUE and NAME=VALUE', async (t) => {
  const o = { timeoutMs: 1000, allowRemote: false, text: 'abc' };
  t.match(httpRequestOfFlags('http://h/x', { header: ['A: b: c', 'D:e'] }, o), {
    request: { headers: { A: 'b: c', D: 'e' } },
  });
  t.match(httpRequestOfFlags('http://h/x', {}, o), {
    soap: { version: '1.1', operation: 'Echo', params: { text: 'abc' } },
  });
  t.match(httpRequestOfFlags('http://h/x', { param: ['a=b=c'] }, o), { soap: { params: { a: 'b=c' } } });
  t.throws(() => httpRequestOfFlags('http://h/x', { param: ['=x'] }, o), { code: 'CLI_USAGE' });
  t.throws(() => httpRequestOfFlags('http://h/x', { soap: '2' }, o), { message: /--soap: 1\.1/ });
});
