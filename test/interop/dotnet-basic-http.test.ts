// The .NET client over BasicHttpBinding (SOAP 1.1 on HTTP, System.ServiceModel.Http) against a minimal
// SOAP 1.1 responder on a real loopback socket: what it sends (POST, text/xml, the quoted SOAPAction, the
// Echo envelope), that it reads the replies and a SOAP 1.1 fault, and its load mode with and without
// HTTP keep-alive, connections counted at the responder; then against the SOAP stand-in's /basic (the
// service the suites load), once and while it recycles.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import t, { type Test } from 'tap';
import { freePort, loadRun, runClient, runLoad, skipReason, startClient } from './programs.ts';
import { startStandIn } from './stand-in.ts';

const skip = skipReason('client');
if (skip !== undefined) t.comment(`.NET client over BasicHttpBinding skipped: ${skip}`);

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const CONTRACT = 'http://tempuri.org/IInteropService/';

// The five XML escapes: all a text node in these envelopes can carry.
const unescapeXml = (s: string): string =>
  s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
  );
const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const envelope = (body: string): string =>
  `<s:Envelope xmlns:s="${SOAP11}"><s:Body>${body}</s:Body></s:Envelope>`;

type Seen = { method: string; url: string; contentType: string; soapAction: string; body: string };

// A SOAP 1.1 responder for IInteropService: Echo, Delay and Fault, as a BasicHttpBinding service answers.
const startResponder = async (t: Test) => {
  const seen: Seen[] = [];
  let connections = 0;
  const answer = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const soapAction = req.headers['soapaction'] ?? '';
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      soapAction: String(soapAction),
      body,
    });
    const op = /^"http:\/\/tempuri\.org\/IInteropService\/(\w+)"$/.exec(String(soapAction))?.[1];
    const param = (name: string) =>
      unescapeXml(new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1] ?? '');
    const reply = (result: string) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(
        envelope(
          `<${op}Response xmlns="http://tempuri.org/"><${op}Result>${escapeXml(result)}</${op}Result></${op}Response>`,
        ),
      );
    };
    if (op === 'Echo') return reply(param('text'));
    if (op === 'Delay') {
      const ms = Math.min(Number(param('ms')) || 0, 5000);
      setTimeout(() => reply(`slept ${ms} ms`), ms);
      return;
    }
    res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
    const reason = op === 'Fault' ? param('reason') : `no operation for SOAPAction ${String(soapAction)}`;
    res.end(
      envelope(
        `<s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">${escapeXml(reason)}</faultstring></s:Fault>`,
      ),
    );
  };
  const server = createServer((req, res) => {
    if (req.url !== '/interop') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 1 << 16) req.destroy();
    });
    req.on('end', () => answer(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/interop`, seen, connections: () => connections };
};

t.test('one session over BasicHttpBinding: echo, delay and a SOAP 1.1 fault', { skip }, async (t) => {
  const r = await startResponder(t);
  const text = 'a<b & "c"';
  const run = await runClient([r.url, `echo:${text}`, 'delay:50', 'fault:boom']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.lines, [
    { op: 'open', ok: true },
    { op: 'echo', ok: true, expected: true, result: text },
    { op: 'delay', ok: true, result: 'slept 50 ms' },
    { op: 'fault', ok: false, expected: true, error: { type: 'fault', reason: 'boom' } },
    { op: 'close', ok: true },
  ]);
  t.equal(r.seen.length, 3);
  t.match(r.seen[0], {
    method: 'POST',
    url: '/interop',
    contentType: /^text\/xml; charset=utf-8$/,
    soapAction: `"${CONTRACT}Echo"`,
  });
  t.match(r.seen[0]!.body, new RegExp(`^<s:Envelope xmlns:s="${SOAP11.replace(/[./]/g, '\\$&')}">`));
  t.match(
    r.seen[0]!.body,
    /<s:Body><Echo xmlns="http:\/\/tempuri.org\/"><text>a&lt;b &amp; "c"<\/text><\/Echo>/,
  );
  t.notMatch(r.seen[0]!.body, /<s:Header>/, 'SOAP 1.1 without WS-Addressing: no headers');
  t.same(
    r.seen.map((s) => s.soapAction),
    ['Echo', 'Delay', 'Fault'].map((op) => `"${CONTRACT}${op}"`),
  );
});

t.test(
  'load over BasicHttpBinding: keep-alive reuses connections, --unpooled opens one per call',
  { skip },
  async (t) => {
    const pooled = await startResponder(t);
    const a = await runLoad([pooled.url, '--lanes', '2', '--sessions', '8', '--calls', '2']);
    t.equal(a.code, 0, a.stderr);
    t.match(a.summary, {
      binding: 'basic-http',
      pooled: true,
      sessions: { ok: 8, failed: 0 },
      calls: { ok: 16 },
    });
    t.equal(a.sessions.length, 8);
    t.equal(pooled.seen.length, 16);
    t.ok(pooled.connections() < 16, `keep-alive: ${pooled.connections()} connections for 16 calls`);

    const unpooled = await startResponder(t);
    const b = await runLoad([unpooled.url, '--lanes', '2', '--sessions', '8', '--calls', '2', '--unpooled']);
    t.equal(b.code, 0, b.stderr);
    t.match(b.summary, { pooled: false, sessions: { ok: 8, failed: 0 }, calls: { ok: 16 } });
    t.equal(unpooled.connections(), 16, 'Connection: close on every call');
  },
);

t.test(
  'load over BasicHttpBinding: a path with no service and a port with no listener fail every session',
  { skip },
  async (t) => {
    const r = await startResponder(t);
    const notFound = await runLoad([
      r.url.replace('/interop', '/nowhere'),
      '--lanes',
      '1',
      '--sessions',
      '2',
    ]);
    t.equal(notFound.code, 0, notFound.stderr);
    t.match(notFound.summary, { sessions: { ok: 0, failed: 2, byType: { EndpointNotFoundException: 2 } } });
    for (const s of notFound.sessions)
      t.match(s, { ok: false, stage: 'call', error: { type: 'EndpointNotFoundException' } });
    // On Linux the .NET client reports a refused HTTP connection as a plain CommunicationException.
    const refused = await runLoad([
      `http://127.0.0.1:${await freePort()}/interop`,
      '--lanes',
      '1',
      '--sessions',
      '2',
    ]);
    t.equal(refused.code, 0, refused.stderr);
    for (const s of refused.sessions) {
      t.match(s, {
        ok: false,
        stage: 'call',
        error: { type: 'CommunicationException', message: /refused/i },
      });
    }
  },
);

t.test(
  "against the SOAP stand-in's /basic: echo, delay and a SOAP 1.1 fault, as the real client reads them",
  { skip },
  async (t) => {
    const svc = await startStandIn({ http: true });
    t.teardown(svc.stop);
    const text = 'héllo <&> "wörld"';
    const run = await runClient([`${svc.http!}basic`, `echo:${text}`, 'delay:50', 'fault:boom']);
    t.equal(run.code, 0, run.stderr);
    t.match(run.lines, [
      { op: 'open', ok: true },
      { op: 'echo', ok: true, expected: true, result: text },
      { op: 'delay', ok: true, result: 'slept 50 ms' },
      { op: 'fault', ok: false, expected: true, error: { type: 'fault', reason: 'boom' } },
      { op: 'close', ok: true },
    ]);
  },
);

t.test(
  "load over BasicHttpBinding against the stand-in's /basic while it recycles: every call is answered",
  { skip },
  async (t) => {
    const svc = await startStandIn({ http: true });
    t.teardown(svc.stop);
    const client = startClient([
      'load',
      `${svc.http!}basic`,
      '--lanes',
      '4',
      '--duration-ms',
      '3000',
      '--calls',
      '2',
      '--op',
      'delay:20',
    ]);
    // Recycle once sessions are under way; they go on against the new listener.
    await client.linesAtLeast(10);
    await svc.recycle();
    const run = loadRun(await client.done);
    t.equal(run.code, 0, run.stderr);
    t.match(run.summary, { binding: 'basic-http', pooled: true, sessions: { failed: 0 } });
    const after = run.sessions.length;
    t.ok(after > 20, `${after} sessions, each of two calls`);
    t.ok(svc.lines.includes('RECYCLED 1'), 'the stand-in recycled during the load');
  },
);
