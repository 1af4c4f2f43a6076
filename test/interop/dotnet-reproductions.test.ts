// The seed reproductions confirmed by the real .NET WCF client (interop/client's load mode): each suite's
// variants as shipped (suites/*.yaml), the reference host configured as the suite configures it, the
// suite's faults acted through the host's control channel by the fault plug-ins, and the assertions on the
// .NET client's own outcomes (its exception types, stages and times) and counts, comparing the defect
// and fixed runs with each other rather than with a clock.

import t from 'tap';
import {
  type LoadRun,
  type LoadSession,
  loadRun,
  runClient,
  runLoad,
  skipReason,
  startClient,
} from './programs.ts';
import {
  faultContext,
  inject,
  loadUrl,
  type Scenario,
  seedScenarios,
  sessionArgs,
  startScenarioHost,
} from './seed-scenario.ts';

const skip = skipReason('client');
if (skip !== undefined) t.comment(`.NET client confirmations skipped: ${skip}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failuresOf = (sessions: readonly LoadSession[]) => sessions.filter((s) => !s.ok);
const typesOf = (sessions: readonly LoadSession[]) => [...new Set(sessions.map((s) => s.error?.type))].sort();

type WorkerReport = { orphaned: number; hooks: { peak: number }; reused: number };
const workerReports = async (h: { request: <T>(r: { command: string }) => Promise<T> }) =>
  (
    await h.request<{ workers: { path: string; report: WorkerReport | null }[] }>({ command: 'status' })
  ).workers.flatMap((w) => (w.report === null ? [] : [w.report]));

// KB 3017663: an overlapped recycle wedges the sharing listener (variants defect, workaround, fixed).
const kb3017663 = await seedScenarios('kb3017663-overlapped-recycle.yaml');
const LANES = 4;
// The load mode's own default, set here so that the assertions can name it.
const OPEN_TIMEOUT_MS = 10_000;

for (const [variant, s] of kb3017663) {
  t.test(
    `KB3017663 ${variant}: the .NET client's sessions through the suite's overlapped recycle`,
    { skip },
    async (t) => {
      const h = await startScenarioHost(t, s);
      const notes: Record<string, unknown>[] = [];
      const url = loadUrl(h, s);
      const shape = [
        '--lanes',
        String(LANES),
        '--open-timeout-ms',
        String(OPEN_TIMEOUT_MS),
        ...sessionArgs(s),
      ];
      // A pooled client (what a WCF application gets) running churn across the recycle.
      const across = startClient(['load', url, '--duration-ms', '6000', ...shape]);
      await across.linesAtLeast(8 * LANES);
      const before = across.lines.length;
      const [recycle] = s.faults;
      t.match(recycle, { kind: 'recycle', mode: 'overlapped' }, 'the suite recycles with overlap');
      await inject(recycle!, faultContext(h, s, notes));
      t.match(
        notes[0],
        { recycled: [{ mode: variant === 'workaround' ? 'stop-start' : 'overlapped' }] },
        'the host recycled as the variant says (the workaround disables overlap)',
      );
      // A fresh client once the recycle is over: does the service take new sessions?
      const fresh = startClient(['load', url, ...shape, '--sessions', String(LANES)]);
      const a = loadRun(await across.done);
      const b = loadRun(await fresh.done);
      t.equal(a.code, 0, a.stderr);
      t.equal(b.code, 0, b.stderr);
      t.same(failuresOf(a.sessions.slice(0, before)), [], 'every session before the recycle succeeded');

      if (variant !== 'defect') {
        t.match(
          a.summary,
          { sessions: { failed: 0 }, calls: { failed: 0 } },
          'every call across it succeeded',
        );
        t.ok(a.sessions.length > before, 'sessions ran after the recycle began');
        t.match(b.summary, { sessions: { ok: LANES, failed: 0 }, calls: { failed: 0 } }, 'and after it');
        return;
      }
      // The defect: once wedged, the listener reads no connection again. A lane never gets a session
      // after its first failure; the fresh client gets none at all.
      for (let lane = 0; lane < LANES; lane++) {
        const mine = a.sessions.filter((x) => x.lane === lane);
        const first = mine.findIndex((x) => !x.ok);
        if (first >= 0)
          t.same(
            mine.slice(first).filter((x) => x.ok),
            [],
            `lane ${lane}: no session after its first failure`,
          );
      }
      t.match(b.summary, { sessions: { ok: 0, failed: LANES } }, 'the fresh client opened no session');
      const failed = [...failuresOf(a.sessions), ...b.sessions];
      t.ok(
        failed.every((x) => x.stage === 'open'),
        'every failure is an open',
      );
      // Queued in the listener's backlog and never read: the open times out; once the backlog is full,
      // the connection is reset (CommunicationException).
      t.same(
        typesOf(failed).filter((x) => x !== 'TimeoutException' && x !== 'CommunicationException'),
        [],
        `failures are open timeouts or resets: ${JSON.stringify(typesOf(failed))}`,
      );
      const timedOut = failed.filter((x) => x.error?.type === 'TimeoutException');
      t.ok(timedOut.length >= 1, `${timedOut.length} opens timed out`);
      t.ok(
        timedOut.every((x) => (x.errorMs ?? 0) >= OPEN_TIMEOUT_MS * 0.95),
        'each after the open timeout',
      );
    },
  );
}

// Dispatch timeout under throttle saturation (PROTOCOL.md 3.2b): long calls hold MaxConcurrentCalls, so
// hand-offs wait in the worker past the dispatch timeout. What is confirmed is the opens, so the client's
// sessions make no call (a lane whose call queued behind the held ones would sit there until the window
// ends instead of opening) and it is unpooled: every session is a new connection and a hand-off, as from
// many client processes (a pooled client's sessions on kept connections never reach the listener).
const throttle = await seedScenarios('dispatch-timeout-throttle.yaml');
type ThrottleSeen = { timedOut: LoadSession[]; dispatchFailed: LoadSession[]; run: LoadRun };
const throttleSeen = new Map<string, ThrottleSeen>();

for (const [variant, s] of throttle) {
  t.test(
    `dispatch timeout under throttle saturation, ${variant}: the .NET client's opens during the saturation`,
    { skip },
    async (t) => {
      const h = await startScenarioHost(t, s);
      const openTimeout = s.load.session.openTimeout;
      const dispatchTimeout = s.host.sharing.dispatchTimeoutMs;
      t.ok(openTimeout > dispatchTimeout, "the client's open timeout outlasts the dispatch timeout");
      const client = startClient([
        'load',
        loadUrl(h, s),
        '--lanes',
        String(LANES),
        '--duration-ms',
        '5000',
        '--unpooled',
        '--calls',
        '0',
        '--open-timeout-ms',
        String(openTimeout),
      ]);
      await client.linesAtLeast(3 * LANES);
      const before = client.lines.length;
      const [saturation] = s.faults;
      if (saturation?.kind !== 'throttle-saturation') throw new Error('the suite saturates the throttle');
      t.match(saturation, { calls: Number });
      const started = performance.now();
      const fault = await inject(saturation, faultContext(h, s, []));
      await sleep(Math.max(0, saturation.duration - (performance.now() - started)));
      await fault.heal();
      const run = loadRun(await client.done);
      t.equal(run.code, 0, run.stderr);
      t.same(failuresOf(run.sessions.slice(0, before)), [], 'the sessions before the saturation succeeded');
      const failed = failuresOf(run.sessions);
      t.comment(
        `${variant}: ${JSON.stringify(run.summary?.sessions)}; slow failures: ${JSON.stringify(
          failed
            .filter((x) => (x.errorMs ?? 0) > 500)
            .map((x) => [x.error?.type, Math.round(x.errorMs ?? 0)]),
        )}`,
      );
      t.ok(
        failed.every((x) => x.stage === 'open'),
        'every failure is an open',
      );
      // Abandoned by the listener at the dispatch timeout, the connection is faulted ConnectionDispatchFailed
      // ("could not be dispatched"). With the leaked handle the worker keeps the client's connection open, so
      // the client, which reads until the server closes after a fault, waits out its own open timeout
      // (the .NET client surfaces it as TimeoutException, or ObjectDisposedException for the socket its
      // timeout disposed).
      const timedOut = failed.filter(
        (x) =>
          (x.error?.type === 'TimeoutException' || x.error?.type === 'ObjectDisposedException') &&
          (x.errorMs ?? 0) >= openTimeout * 0.95,
      );
      const dispatchFailed = failed.filter(
        (x) =>
          x.error?.type === 'CommunicationException' && /could not be dispatched/.test(x.error.message ?? ''),
      );
      // Either way the listener closed the worker's registration: the startup path answers EndpointNotFound
      // from then on (EndpointNotFoundException), to the lanes and to a client that comes later.
      t.same(
        typesOf(failed).filter(
          (x) =>
            ![
              'EndpointNotFoundException',
              'TimeoutException',
              'ObjectDisposedException',
              'CommunicationException',
            ].includes(x!),
        ),
        [],
        `failure types: ${JSON.stringify(typesOf(failed))}`,
      );
      const later = await runClient([loadUrl(h, s), 'echo:x']);
      t.match(
        later.lines[0],
        { op: 'open', ok: false, error: { type: 'EndpointNotFoundException' } },
        'a later open: EndpointNotFoundException',
      );
      const orphaned = (await workerReports(h)).reduce((n, r) => n + r.orphaned, 0);
      if (variant === 'defect') {
        t.ok(timedOut.length >= 1, `${timedOut.length} opens timed out`);
        t.same(dispatchFailed, [], 'no open got the dispatch fault in time');
        t.ok(orphaned >= timedOut.length, `the worker holds ${orphaned} leaked connections`);
      } else {
        t.same(timedOut, [], 'no open timed out');
        t.ok(dispatchFailed.length >= 1, `${dispatchFailed.length} opens got the dispatch fault`);
        t.equal(orphaned, 0, 'the worker holds no leaked connection');
      }
      throttleSeen.set(variant, { timedOut, dispatchFailed, run });
    },
  );
}

t.test(
  'dispatch timeout: the defect keeps the .NET client waiting longer than the fixed host',
  { skip },
  async (t) => {
    const defect = throttleSeen.get('defect');
    const fixed = throttleSeen.get('fixed');
    if (defect === undefined || fixed === undefined) {
      t.fail('both variants ran');
      return;
    }
    const longest = (xs: LoadSession[]) => Math.max(...xs.map((x) => x.errorMs ?? 0));
    t.ok(
      longest(defect.timedOut) > longest(fixed.dispatchFailed),
      `defect ${Math.round(longest(defect.timedOut))} ms, fixed ${Math.round(longest(fixed.dispatchFailed))} ms`,
    );
  },
);

// KB 2907010: a slow pre-dispatch hook under one lock serializes concurrent calls.
const serial = await seedScenarios('kb2907010-serial-extensions.yaml');
type SerialSeen = { p50: Record<number, number>; callsPerSec: Record<number, number>; peak: number };
const serialSeen = new Map<string, SerialSeen>();
const concurrencyOf = (s: Scenario): number => ('sessions' in s.load ? s.load.sessions : 16);

for (const [variant, s] of serial) {
  t.test(`KB2907010 ${variant}: the .NET client's call latency by concurrency`, { skip }, async (t) => {
    const h = await startScenarioHost(t, s);
    const seen: SerialSeen = { p50: {}, callsPerSec: {}, peak: 0 };
    for (const lanes of [1, concurrencyOf(s)]) {
      const run = await runLoad([
        loadUrl(h, s),
        '--lanes',
        String(lanes),
        '--sessions',
        String(3 * lanes),
        '--warmup-ms',
        '500',
        '--summary',
        ...sessionArgs(s),
      ]);
      t.equal(run.code, 0, run.stderr);
      t.match(
        run.summary,
        { sessions: { failed: 0 }, calls: { failed: 0 } },
        `${lanes} lane(s): every call succeeded`,
      );
      seen.p50[lanes] = run.summary!.callMs.p50;
      seen.callsPerSec[lanes] = run.summary!.callsPerSec;
    }
    seen.peak = Math.max(...(await workerReports(h)).map((r) => r.hooks.peak));
    t.comment(
      `${variant}: call p50 ${JSON.stringify(seen.p50)} ms, calls/s ${JSON.stringify(seen.callsPerSec)}`,
    );
    // The host's view of the same: hooks never overlapped with the defect, and did without it.
    if (variant === 'defect') t.equal(seen.peak, 1, 'one hook at a time');
    else t.ok(seen.peak > 1, `${seen.peak} hooks at once`);
    serialSeen.set(variant, seen);
  });
}

t.test(
  "KB2907010: with the defect the .NET client's calls complete one after another, without it they overlap",
  { skip },
  async (t) => {
    const defect = serialSeen.get('defect');
    const fixed = serialSeen.get('fixed');
    if (defect === undefined || fixed === undefined) {
      t.fail('both variants ran');
      return;
    }
    const n = concurrencyOf(serial.get('defect')!);
    const growth = (x: SerialSeen) => x.p50[n]! / x.p50[1]!;
    const scaling = (x: SerialSeen) => x.callsPerSec[n]! / x.callsPerSec[1]!;
    t.ok(
      growth(defect) > 3 * growth(fixed),
      `latency grows with concurrency: p50 x${growth(defect).toFixed(1)} with the defect, x${growth(fixed).toFixed(1)} without`,
    );
    t.ok(
      scaling(fixed) > 2 * scaling(defect),
      `calls/s with ${n} lanes over 1: x${scaling(defect).toFixed(1)} with the defect, x${scaling(fixed).toFixed(1)} without`,
    );
  },
);
