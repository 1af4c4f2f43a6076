// Forwarding routes through the reference host (host/main.ts in its own process): to the SOAP stand-in
// and to the echo endpoint, paused, with the upstream down or silent, with each via mode, and the
// control commands a forwarding route refuses.

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import t from 'tap';
import { openSession, resolveNetTcpUrl } from '../../../clients/nettcp/index.ts';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import { createSoapCodec, decodeOpReply, encodeOpRequest } from '../../../protocol/index.ts';
import { freePort } from '../../interop/programs.ts';
import { startStandIn } from '../../interop/stand-in.ts';
import { open, status, waitUntil, withHost } from '../helpers/host.ts';

const ECHO_ACTION = 'http://tempuri.org/IInteropService/Echo';

// Opens a SOAP session through the host at `path`, addressed (To) to the service behind it, as a WCF
// client with ClientVia does; makes `calls` Echo calls and ends.
const soapSession = async (hostUrl: string, to: string, calls: number, tag: string): Promise<string[]> => {
  const codec = createSoapCodec({ encoding: 'binary-session', to, contract: 'IInteropService' });
  const o = await openSession(await resolveNetTcpUrl(hostUrl), {
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
  });
  if (!o.ok) throw new Error(`open: ${JSON.stringify(o.failure)}`);
  const out: string[] = [];
  for (let i = 0; i < calls; i++) {
    const r = await o.session.call(
      codec.encodeRequest({ action: ECHO_ACTION, operation: 'Echo', params: { text: `${tag}.${i}` } }),
    );
    if (!r.ok) throw new Error(`call: ${JSON.stringify(r.failure)}`);
    const reply = codec.decodeReply(r.reply);
    out.push(reply.kind === 'reply' ? String(reply.result) : `fault ${reply.reason}`);
  }
  const end = await o.session.end();
  if (!end.ok) throw new Error(`end: ${JSON.stringify(end.failure)}`);
  return out;
};

t.test(
  'sessions and calls reach the stand-in and the echo endpoint, many at once, beside a worker',
  async (t) => {
    const svc = await startStandIn();
    t.teardown(svc.stop);
    const echo = await startEchoEndpoint();
    t.teardown(() => echo.close());
    const h = await withHost(t, {
      // Room for 30 sessions arriving at once (the default backlog of 10 resets the rest, as Windows does).
      sharing: { listenBacklog: 100, maxPendingAccepts: 10 },
      services: [
        { path: '/echo', forward: `${svc.base}echo` },
        { path: '/ops', forward: echo.url('/ops') },
        { path: '/local', activation: { mode: 'startup' } },
      ],
    });
    const soap = await Promise.all(
      Array.from({ length: 30 }, (_, i) => soapSession(h.url('/echo'), `${svc.base}echo`, 3, `s${i}`)),
    );
    t.same(soap[7], ['s7.0', 's7.1', 's7.2']);
    t.ok(
      soap.every((r, i) => r.join() === `s${i}.0,s${i}.1,s${i}.2`),
      'every SOAP session got its own replies',
    );

    const ops = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const o = await open(h, '/ops');
        if (!o.ok) return `open ${o.failure.kind}`;
        const replies = await Promise.all(
          [0, 1, 2, 3, 4].map(async (k) => {
            const r = await o.session.call(
              encodeOpRequest({ id: i * 10 + k, op: 'echo', arg: 0, payload: Buffer.alloc(256, k) }),
            );
            return r.ok ? decodeOpReply(r.reply)?.id : `call ${r.failure.kind}`;
          }),
        );
        await o.session.end();
        return replies.join();
      }),
    );
    t.same(ops[3], '30,31,32,33,34', 'the echo endpoint answered each call through the splice');
    t.ok(
      ops.every((r, i) => r === [0, 1, 2, 3, 4].map((k) => i * 10 + k).join()),
      'every session got its own replies',
    );
    const local = await open(h, '/local');
    t.ok(local.ok, 'the worker route beside them still serves');
    if (local.ok) await local.session.end();

    t.ok(
      await waitUntil(async () => (await status(h)).routes.every((r) => (r.forward?.open ?? 0) === 0), 5000),
    );
    const st = await status(h);
    t.match(st.listener.counts, { forwarded: 60, forwardFailed: 0, dispatched: 1 });
    t.match(st.routes, [
      {
        path: '/echo',
        state: 'forwarding',
        workerPid: null,
        forward: { to: `${svc.base}echo`, via: 'pass', open: 0, opened: 30, failed: 0 },
      },
      { path: '/ops', state: 'forwarding', forward: { opened: 30 } },
      { path: '/local', state: 'registered' },
    ]);
    t.same(
      st.workers.map((w) => w.path),
      ['/local'],
      'a forwarding route has no worker',
    );
    const closed = h.lines.filter((l) => l.event === 'forward-closed');
    t.equal(closed.length, 60);
    t.ok(
      closed.every((l) => l.how === 'ended'),
      'every spliced pair ended with FIN both ways',
    );
    t.match(
      h.lines.find((l) => l.event === 'forward-open'),
      { path: '/echo', to: `${svc.base}echo`, via: h.url('/echo') },
    );
  },
);

t.test('pause answers new sessions EndpointUnavailable while spliced ones carry on; resume', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const h = await withHost(t, { services: [{ path: '/echo', forward: echo.url('/echo') }] });
  const before = await open(h, '/echo');
  t.ok(before.ok);
  await h.request({ command: 'pause', path: '/echo' });
  t.match(await open(h, '/echo'), {
    ok: false,
    failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointUnavailable' },
  });
  t.match((await status(h)).routes[0], { paused: true, state: 'forwarding' });
  if (before.ok) {
    t.match(await before.session.call(Buffer.from('still')), { ok: true });
    await before.session.end();
  }
  await h.request({ command: 'resume', path: '/echo' });
  const after = await open(h, '/echo');
  t.ok(after.ok, 'resumed');
  if (after.ok) await after.session.end();
  t.match(
    h.lines.find((l) => l.event === 'refused'),
    { fault: 'EndpointUnavailable', reason: 'the route is paused' },
  );
});

t.test('an upstream that refuses gets the client EndpointUnavailable at once', async (t) => {
  const port = await freePort();
  const h = await withHost(t, { services: [{ path: '/gone', forward: `net.tcp://127.0.0.1:${port}/gone` }] });
  const started = performance.now();
  t.match(await open(h, '/gone'), {
    ok: false,
    failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointUnavailable' },
  });
  t.ok(performance.now() - started < 1000);
  t.match(await h.waitFor((l) => l.event === 'forward-failed'), { path: '/gone', reason: 'ECONNREFUSED' });
  t.match((await status(h)).listener.counts, {
    forwarded: 0,
    forwardFailed: 1,
    refused: { EndpointUnavailable: 1 },
  });
});

t.test(
  'an upstream that never answers the connect gets EndpointUnavailable within connectTimeout',
  async (t) => {
    // A listener with a backlog of one whose process blocks: once its accept queue is full the kernel
    // drops further SYNs, so a connect to it hangs.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('net').createServer();
       s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
         console.log(s.address().port);
         setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000), 20);
       });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.teardown(() => {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    });
    const port = Number(
      await new Promise<string>((r) => child.stdout.once('data', (c: Buffer) => r(c.toString()))),
    );
    await new Promise((r) => setTimeout(r, 100));
    const fillers = Array.from({ length: 4 }, () => connect(port, '127.0.0.1').on('error', () => {}));
    t.teardown(() => fillers.forEach((f) => f.destroy()));
    await new Promise((r) => setTimeout(r, 200));
    const h = await withHost(t, {
      services: [
        { path: '/slow', forward: { to: `net.tcp://127.0.0.1:${port}/slow`, connectTimeoutMs: 300 } },
      ],
    });
    const started = performance.now();
    t.match(await open(h, '/slow', { openTimeoutMs: 5000 }), {
      ok: false,
      failure: { kind: 'fault', fault: 'EndpointUnavailable' },
    });
    const took = performance.now() - started;
    t.ok(took >= 280 && took < 2000, `refused after ${Math.round(took)}ms`);
    t.match(await h.waitFor((l) => l.event === 'forward-failed'), { reason: 'no connection within 300ms' });
  },
);

t.test(
  'the via: pass reaches an upstream on the same path; rewrite one that binds its host, port or another path',
  async (t) => {
    const exact = await startStandIn({ exactHost: true });
    t.teardown(exact.stop);
    const to = `${exact.base}echo`;
    const h = await withHost(t, {
      services: [
        { path: '/echo', forward: to },
        { path: '/exact', forward: { to, via: 'rewrite' } },
      ],
    });
    // Passed through, the via names the host's port: an upstream comparing host and port refuses it,
    // and its own framing fault comes back through the splice.
    t.match(await open(h, '/echo'), {
      ok: false,
      failure: { kind: 'fault', stage: 'preamble', fault: 'EndpointNotFound' },
    });
    t.match(
      h.lines.find((l) => l.event === 'forward-open'),
      { path: '/echo', via: h.url('/echo') },
    );
    t.same(await soapSession(h.url('/exact/deeper'), to, 2, 'rw'), ['rw.0', 'rw.1']);
    t.match(await h.waitFor((l) => l.event === 'forward-open' && l.path === '/exact'), {
      via: `${to}/deeper`,
    });
  },
);

t.test(
  'recycle and worker commands are refused on a forwarding route; recycling everything skips it',
  async (t) => {
    const echo = await startEchoEndpoint();
    t.teardown(() => echo.close());
    const h = await withHost(t, {
      services: [
        { path: '/fwd', forward: echo.url('/fwd') },
        { path: '/w', activation: { mode: 'startup' } },
      ],
    });
    for (const req of [
      { command: 'recycle', path: '/fwd' },
      { command: 'set-latency', path: '/fwd', operation: 'echo', ms: 5 },
      { command: 'set-activation-delay', path: '/fwd', ms: 5 },
      { command: 'fail-activation', path: '/fwd' },
      { command: 'burn', path: '/fwd', ms: 5 },
      { command: 'direct', path: '/fwd' },
    ]) {
      await t.rejects(
        h.request(req),
        {
          code: 'HOST_FORWARDING',
          message: /\/fwd forwards to net\.tcp:\/\/127\.0\.0\.1:\d+\/fwd and has no worker/,
        },
        req.command,
      );
    }
    const all = await h.request<{ recycled: { path: string }[] }>({ command: 'recycle' });
    t.same(
      all.recycled.map((r) => r.path),
      ['/w'],
    );
  },
);

t.test('stopping the host cuts the spliced sessions', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const h = await withHost(t, { services: [{ path: '/echo', forward: echo.url('/echo') }] });
  const o = await open(h, '/echo');
  t.ok(o.ok);
  t.ok(await waitUntil(() => echo.sessions === 1, 2000));
  await h.stop('SIGTERM');
  if (o.ok) t.match(await o.session.call(Buffer.from('x'), { timeoutMs: 2000 }), { ok: false });
  t.ok(await waitUntil(() => echo.sessions === 0, 2000), 'the upstream side closed too');
});
