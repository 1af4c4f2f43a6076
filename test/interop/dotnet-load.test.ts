// The .NET client's load mode (InteropClient load) against the SOAP stand-in: lanes of sessions and their
// outcomes as the real WCF client saw them, its connection pooling counted at a front the sessions go
// through, failures by exception type when the service goes away or a call outlives its timeout, and the
// hard deadline that bounds every run.

import t from 'tap';
import { type LoadSession, runClient, runLoad, skipReason, startClient, loadRun } from './programs.ts';
import { startCountingFront } from './counting-front.ts';
import { startStandIn } from './stand-in.ts';

const skip = skipReason('client');
if (skip !== undefined) t.comment(`.NET client load mode skipped: ${skip}`);

const failuresOf = (sessions: LoadSession[]) => sessions.filter((s) => !s.ok);

t.test('many sessions across several lanes all succeed, one line each', { skip }, async (t) => {
  const svc = await startStandIn();
  t.teardown(svc.stop);
  const run = await runLoad([`${svc.base}echo`, '--lanes', '4', '--sessions', '40', '--calls', '3']);
  t.equal(run.code, 0, run.stderr);
  t.equal(run.sessions.length, 40);
  t.same(failuresOf(run.sessions), [], 'no session failed');
  t.same(
    run.sessions.map((s) => s.session).sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i),
    'every session index once',
  );
  t.same([...new Set(run.sessions.map((s) => s.lane))].sort(), [0, 1, 2, 3], 'every lane ran sessions');
  for (const s of run.sessions) {
    t.equal(s.calls.length, 3);
    t.ok(s.openMs! > 0 && s.closeMs! >= 0 && s.ms >= s.openMs!, 'its times are there');
  }
  t.match(run.summary, {
    binding: 'net.tcp',
    mode: 'churn',
    pooled: true,
    lanes: 4,
    sessions: { ok: 40, failed: 0, byType: {} },
    calls: { ok: 120, failed: 0 },
    deadlineHit: false,
  });
  t.ok(run.summary!.cpuMs > 0 && run.summary!.sessionMs.p99 >= run.summary!.sessionMs.p50);
});

t.test('--summary prints only the summary; warm-up sessions are not reported', { skip }, async (t) => {
  const svc = await startStandIn({ anyAddress: true });
  t.teardown(svc.stop);
  const run = await runLoad([`${svc.base}echo`, '--lanes', '2', '--sessions', '6', '--summary']);
  t.equal(run.code, 0, run.stderr);
  t.same(run.sessions, []);
  t.match(run.summary, { sessions: { ok: 6, failed: 0 }, calls: { ok: 6 } });
  // The warm-up's sessions reach the service but not the report (unpooled: a connection per session).
  const front = await startCountingFront(svc.port);
  t.teardown(front.close);
  const warm = await runLoad([
    `${svc.base}echo`,
    '--via',
    front.url('/echo'),
    '--lanes',
    '2',
    '--sessions',
    '6',
    '--warmup-ms',
    '500',
    '--unpooled',
  ]);
  t.equal(warm.code, 0, warm.stderr);
  t.same(
    warm.sessions.map((s) => s.session).sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5],
  );
  t.match(warm.summary, { warmupMs: 500, sessions: { ok: 6 } });
  t.ok(front.accepted() > 6, `${front.accepted()} connections: the warm-up ran sessions too`);
});

t.test(
  'unpooled opens one TCP connection per session; pooled reuses the connections the service keeps',
  { skip },
  async (t) => {
    const svc = await startStandIn({ anyAddress: true });
    t.teardown(svc.stop);
    const SESSIONS = 20;
    const through = async (pooling: '--pooled' | '--unpooled') => {
      const front = await startCountingFront(svc.port);
      t.teardown(front.close);
      const args = ['--via', front.url('/echo'), '--lanes', '2', '--sessions', String(SESSIONS), pooling];
      const run = await runLoad([`${svc.base}echo`, ...args]);
      t.equal(run.code, 0, run.stderr);
      t.match(run.summary, { pooled: pooling === '--pooled', sessions: { ok: SESSIONS, failed: 0 } });
      return front.accepted();
    };
    t.equal(await through('--unpooled'), SESSIONS, 'unpooled: a connection per session');
    // The stand-in keeps a cleanly closed session's connection, as WCF services do.
    const pooled = await through('--pooled');
    t.ok(pooled < SESSIONS, `pooled: ${pooled} connections for ${SESSIONS} sessions`);
    t.ok(pooled >= 1);
  },
);

t.test('persistent lanes keep one session each and call back to back', { skip }, async (t) => {
  const svc = await startStandIn({ anyAddress: true });
  t.teardown(svc.stop);
  const front = await startCountingFront(svc.port);
  t.teardown(front.close);
  const run = await runLoad([
    `${svc.base}echo`,
    '--via',
    front.url('/echo'),
    '--lanes',
    '3',
    '--persistent',
    '--calls',
    '25',
  ]);
  t.equal(run.code, 0, run.stderr);
  t.equal(run.sessions.length, 3);
  t.same(
    run.sessions.map((s) => [s.ok, s.calls.length]),
    [
      [true, 25],
      [true, 25],
      [true, 25],
    ],
  );
  t.match(run.summary, { mode: 'persistent', sessions: { ok: 3 }, calls: { ok: 75, failed: 0 } });
  t.equal(front.accepted(), 3, 'one connection per lane');
});

t.test(
  'a stand-in stopped mid-run: the sessions after it fail, each with its exception type',
  { skip },
  async (t) => {
    const svc = await startStandIn();
    let stopped = false;
    t.teardown(() => (stopped ? undefined : svc.stop()));
    const TOTAL = 400;
    // Each session holds a call for 50 ms: the run cannot be over before the stand-in is stopped.
    const client = startClient([
      'load',
      `${svc.base}echo`,
      '--lanes',
      '4',
      '--sessions',
      String(TOTAL),
      '--op',
      'delay:50',
      '--open-timeout-ms',
      '5000',
    ]);
    await client.linesAtLeast(12);
    await svc.stop();
    stopped = true;
    const run = loadRun(await client.done);
    t.equal(run.code, 0, run.stderr);
    t.equal(run.sessions.length, TOTAL, 'every session reported');
    const failed = failuresOf(run.sessions);
    t.ok(run.sessions.length - failed.length >= 12, 'the sessions before the stop succeeded');
    t.ok(failed.length > 0, 'sessions failed');
    for (const f of failed) {
      t.ok(['open', 'call', 'close'].includes(f.stage!), `stage ${f.stage}`);
      t.match(f.error, { type: /Exception$/, message: String }, 'an exception type and message');
    }
    t.ok(
      failed.some((f) => f.stage === 'open' && f.error!.type === 'EndpointNotFoundException'),
      'sessions opened after the stop: EndpointNotFoundException (connection refused)',
    );
    const byType: Record<string, number> = {};
    for (const f of failed) byType[f.error!.type] = (byType[f.error!.type] ?? 0) + 1;
    t.same(run.summary!.sessions.byType, byType, 'the summary counts them by type');
    t.comment(`failures by type: ${JSON.stringify(byType)}`);
    t.equal(run.summary!.sessions.ok + run.summary!.sessions.failed, TOTAL);
  },
);

t.test('a delay longer than the call timeout fails with TimeoutException', { skip }, async (t) => {
  const svc = await startStandIn();
  t.teardown(svc.stop);
  const run = await runLoad([
    `${svc.base}echo`,
    '--lanes',
    '1',
    '--sessions',
    '2',
    '--op',
    'delay:3000',
    '--call-timeout-ms',
    '300',
  ]);
  t.equal(run.code, 0, run.stderr);
  t.equal(run.sessions.length, 2);
  for (const s of run.sessions) {
    t.match(s, { ok: false, stage: 'call', calls: [], error: { type: 'TimeoutException' } });
    t.ok(s.errorMs! >= 250, 'it waited for the timeout');
  }
  t.match(run.summary, { sessions: { failed: 2, byType: { TimeoutException: 2 } }, calls: { failed: 2 } });
});

t.test('the hard deadline aborts what is still running and the run ends', { skip }, async (t) => {
  const svc = await startStandIn();
  t.teardown(svc.stop);
  const run = await runLoad([
    `${svc.base}echo`,
    '--lanes',
    '2',
    '--persistent',
    '--calls',
    '5',
    '--op',
    'delay:20000',
    '--call-timeout-ms',
    '60000',
    '--deadline-ms',
    '1000',
  ]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.summary, { deadlineHit: true, stuck: false, sessions: { ok: 0, failed: 2, atDeadline: 2 } });
  t.ok(
    run.sessions.every((s) => !s.ok && s.stage === 'call' && s.atDeadline === true),
    'the calls in flight were aborted',
  );
});

t.test('bad usage exits 2 and says why', { skip }, async (t) => {
  const cases: [string[], RegExp][] = [
    [['load', 'net.tcp://127.0.0.1:1/echo', '--sessions', '3'], /--lanes is required/],
    [['load', 'net.tcp://127.0.0.1:1/echo', '--lanes', '2'], /one of --sessions or --duration-ms/],
    [
      ['load', 'net.tcp://127.0.0.1:1/echo', '--lanes', 'x', '--sessions', '1'],
      /--lanes: want 1\.\.4096, got 'x'/,
    ],
    [['load', 'net.tcp://127.0.0.1:1/echo', '--lanes', '1', '--persistent'], /--persistent needs/],
    [['load', 'net.tcp://127.0.0.1:1/echo', '--lanes', '1', '--sessions', '1', '--op', 'fault:x'], /--op/],
    [['load', 'ftp://127.0.0.1/echo', '--lanes', '1', '--sessions', '1'], /unexpected argument 'ftp:/],
  ];
  for (const [args, why] of cases) {
    const run = await runClient(args);
    t.equal(run.code, 2, args.join(' '));
    t.match(run.stderr, why);
    t.same(run.lines, []);
  }
});
