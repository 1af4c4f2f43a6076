import t from 'tap';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import { closedPort, httpServer, silentServer } from '../../fixtures/servers.ts';
import { runCli } from '../../helpers/cli.ts';

t.test('probe succeeds against an echo endpoint and shows every stage', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await runCli(['probe', echo.url('/orders'), '--calls', '2', '--payload', '100']);
  t.equal(r.exitCode, 0, String(r.stderr));
  const out = String(r.stdout);
  for (const stage of ['connect', 'preamble', 'call 1', 'call 2', 'end']) t.match(out, stage);
  t.match(out, 'SizedEnvelope 100 bytes -> SizedEnvelope 100 bytes');
  t.match(out, 'PreambleAck');
});

t.test('probe --json prints one object with the stages', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const r = await runCli(['probe', echo.url(), '--json']);
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
    [['probe'], /expected a net\.tcp URL/],
    [['probe', 'http://127.0.0.1/x'], /expected the net\.tcp scheme/],
    [
      ['probe', 'net.tcp://127.0.0.1/x', '--calls=-1'],
      /--calls: expected an integer of at least 0, got "-1"/,
    ],
    [['probe', 'net.tcp://127.0.0.1/x', '--timeout', '5'], /--timeout: expected a positive duration/],
    [['probe', 'net.tcp://127.0.0.1/x', '--bogus'], /Unknown option '--bogus'/],
    [['probe', 'net.tcp://192.0.2.1/x'], /not loopback/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    t.equal(r.exitCode, 2, args.join(' '));
    t.match(String(r.stderr), message, args.join(' '));
    t.notMatch(String(r.stderr), /\n\s+at /, 'no stack trace');
  }
});
