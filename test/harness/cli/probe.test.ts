import t from 'tap';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import { OPS_CONTENT_TYPE } from '../../../protocol/index.ts';
import { closedPort, httpServer, silentServer } from '../../fixtures/servers.ts';
import { probe, type ProbeOptions, type ProbeSoapCall, renderProbe } from '../../../harness/cli/probe.ts';
import { runCli } from '../../helpers/cli.ts';
import { withHost } from '../../host/helpers/host.ts';
import { startStandIn } from '../../interop/stand-in.ts';

t.test('probe --op-framing succeeds against an echo endpoint and shows every stage', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await runCli(['probe', echo.url('/orders'), '--op-framing', '--calls', '2', '--payload', '100']);
  t.equal(r.exitCode, 0, String(r.stderr));
  const out = String(r.stdout);
  for (const stage of ['connect', 'preamble', 'call 1', 'call 2', 'end']) t.match(out, stage);
  // An op framing request is 11 bytes of header and the payload; the endpoint echoes it.
  // An op framing request (11-byte header + 100) gets its reply (7-byte header + the same 100).
  t.match(out, 'SizedEnvelope 111 bytes -> SizedEnvelope 107 bytes');
  t.match(out, `ExtensibleEncoding ${OPS_CONTENT_TYPE}`);
  t.match(out, 'PreambleAck');
  t.match(out, 'the compact op framing');
  const echoed = await runCli(['probe', '--echo']);
  t.equal(echoed.exitCode, 0, '--echo speaks the op framing to its own endpoint');
});

// The probe's own options for a URL, as the command line gives them by default (SOAP Echo of 64 chars).
const soapEcho = (url: string, soap: Partial<ProbeSoapCall> = {}): ProbeOptions => ({
  url,
  calls: 1,
  payload: 64,
  timeoutMs: 5000,
  soap: {
    encoding: 'binary-session',
    operation: 'Echo',
    params: {},
    contract: 'IInteropService',
    namespace: 'http://tempuri.org/',
    ...soap,
  },
});

t.test(
  'probe calls Echo on a host worker over SOAP by default, any operation with --operation',
  async (t) => {
    const h = await withHost(t, { services: [{ path: '/svc', activation: { mode: 'startup' } }] });
    const r = await runCli(['probe', h.url('/svc'), '--calls', '2']);
    t.equal(r.exitCode, 0, String(r.stdout));
    const out = String(r.stdout);
    t.match(out, 'KnownEncoding 0x08');
    t.match(
      out,
      /SOAP http:\/\/tempuri.org\/IInteropService\/Echo -> http:\/\/tempuri.org\/IInteropService\/EchoResponse, result "[a-z]+…" \(64 chars\)/,
    );
    t.match(out, 'ok: session opened, 2 calls answered, ended cleanly');

    const delay = await probe(soapEcho(h.url('/svc'), { operation: 'Delay', params: { ms: '20' } }));
    t.match(delay, {
      ok: true,
      messages: 'soap',
      stages: [
        {},
        {},
        { stage: 'call', ok: true, soap: { reply: { result: 'slept 20 ms' } } },
        { stage: 'end', ok: true },
      ],
    });

    const fault = await probe(soapEcho(h.url('/svc'), { operation: 'Fault', params: { reason: 'boom' } }));
    t.match(fault, { ok: false, failure: { kind: 'soap-fault', code: 'Sender', reason: 'boom' } });
    t.match(renderProbe(fault), 'failed: SOAP fault Sender during call: boom');
    t.match(fault.stages.at(-1), { stage: 'end', ok: true }, 'the session itself ended cleanly');

    const unknown = await probe(soapEcho(h.url('/svc'), { action: 'urn:nope' }));
    t.match(unknown, {
      ok: false,
      failure: { kind: 'soap-fault', code: 'Sender', subcodes: ['ActionNotSupported'] },
    });

    const ops = await probe({ url: h.url('/svc'), calls: 2, payload: 10, timeoutMs: 5000 });
    t.match(
      ops,
      { ok: true, messages: 'op-framing' },
      'the worker speaks the op framing on its own content type',
    );
  },
);

t.test(
  'probe calls the SOAP stand-in in both encodings; the op framing is not understood there',
  async (t) => {
    const svc = await startStandIn();
    t.teardown(svc.stop);
    const r = await probe(soapEcho(`${svc.base}echo`, { params: { text: 'hi' } }));
    t.equal(r.ok, true, 'Echo answered');
    t.match(renderProbe(r), 'result "hi" (2 chars)');
    const text = await probe(
      soapEcho(`${svc.base}text`, { encoding: 'soap12', operation: 'Delay', params: { ms: '5' } }),
    );
    t.equal(text.ok, true, 'Delay answered in SOAP 1.2 text');
    t.match(renderProbe(text), 'KnownEncoding 0x03');
    t.match(renderProbe(text), 'result "slept 5 ms"');
    const ops = await probe({
      url: `${svc.base}echo`,
      calls: 1,
      payload: 10,
      timeoutMs: 5000,
      encoding: 'binary-session',
    });
    t.match(
      ops,
      { ok: false, failure: { stage: 'call' } },
      'a real service aborts a session whose message is not SOAP',
    );
  },
);

t.test('probe --json prints one object with the stages', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await runCli(['probe', echo.url(), '--op-framing', '--json']);
  t.equal(r.exitCode, 0);
  const report = JSON.parse(String(r.stdout)) as { ok: boolean; stages: { stage: string }[] };
  t.equal(report.ok, true);
  t.same(
    report.stages.map((s) => s.stage),
    ['connect', 'preamble', 'call', 'end'],
  );
});

t.test('probe reports the fault name and exits 1', async (t) => {
  const echo = await startEchoEndpoint({ paths: ['/orders'] });
  t.teardown(() => echo.close());
  const r = await runCli(['probe', echo.url('/unknown')]);
  t.equal(r.exitCode, 1);
  t.match(String(r.stdout), 'fault EndpointNotFound during preamble');
  const j = await runCli(['probe', echo.url('/unknown'), '--json']);
  t.match(JSON.parse(String(j.stdout)), { ok: false, failure: { kind: 'fault', fault: 'EndpointNotFound' } });
});

t.test('probe says plainly when an HTTP server answered', async (t) => {
  const s = await httpServer();
  t.teardown(() => s.close());
  const r = await runCli(['probe', s.url()]);
  t.equal(r.exitCode, 1);
  t.match(String(r.stdout), 'an HTTP server answered, not net.tcp: HTTP/1.1 400');
});

t.test('probe times out against a silent server and exits 1', async (t) => {
  const s = await silentServer();
  t.teardown(() => s.close());
  const r = await runCli(['probe', s.url(), '--timeout', '300ms']);
  t.equal(r.exitCode, 1);
  t.match(String(r.stdout), 'timed out during preamble');
});

t.test('probe exits 1 when nothing listens', async (t) => {
  const r = await runCli(['probe', `net.tcp://127.0.0.1:${await closedPort()}/x`]);
  t.equal(r.exitCode, 1);
  t.match(String(r.stdout), 'connection refused');
});

t.test('bad usage exits 2 with a message and no stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [['probe'], /expected a net\.tcp:\/\/ or http:\/\/ URL/],
    [['probe', 'https://127.0.0.1/x'], /expected the net\.tcp scheme/],
    [
      ['probe', 'net.tcp://127.0.0.1/x', '--calls=-1'],
      /--calls: expected an integer of at least 0, got "-1"/,
    ],
    [['probe', 'net.tcp://127.0.0.1/x', '--timeout', '5'], /--timeout: expected a positive duration/],
    [['probe', 'net.tcp://127.0.0.1/x', '--bogus'], /Unknown option '--bogus'/],
    [['probe', 'net.tcp://192.0.2.1/x'], /not loopback/],
    [['probe', 'net.tcp://127.0.0.1/x', '--param', 'novalue'], /--param: expected NAME=VALUE, got "novalue"/],
    [
      ['probe', 'net.tcp://127.0.0.1/x', '--encoding', 'binary'],
      /--encoding: SOAP calls speak binary-session or soap12/,
    ],
    [
      ['probe', 'net.tcp://127.0.0.1/x', '--op-framing', '--operation', 'Echo'],
      /--operation goes with SOAP calls, not --op-framing/,
    ],
    [['probe', '--echo', '--param', 'a=b'], /--param goes with SOAP calls, not --echo/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    t.equal(r.exitCode, 2, args.join(' '));
    t.match(String(r.stderr), message, args.join(' '));
    t.notMatch(String(r.stderr), /\n\s+at /, 'no stack trace');
  }
});
