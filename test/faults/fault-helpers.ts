import type { FaultRecord } from '../../model/fault-records.ts';
// What the fault tests share: a real target (the reference host or a program) started the way a run
// starts it, guarded by a watchdog; fault specs validated by the suite schema; a FaultContext that
// records notes; and small readings of processes and sessions.

import type { Test } from 'tap';
import { openSession, resolveNetTcpUrl, sameTimeouts } from '../../clients/nettcp/index.ts';
import type { FaultContext, FaultSpecBase, FaultTarget } from '../../faults/types.ts';
import { seededRandom } from '../../harness/load/random.ts';
import { readStat } from '../../harness/observe/proc.ts';
import { formatProblem, loadSuiteText } from '../../harness/suite/load.ts';
import type { ParsedSuite } from '../../harness/suite/schema.ts';
import { startCommandTarget } from '../../harness/target/command-target.ts';
import { startHostTarget } from '../../harness/target/host-target.ts';
import type { LocalTarget, RunningTarget } from '../../harness/target/types.ts';
import { Watchdog } from '../../harness/target/watchdog.ts';

export type Spec = FaultSpecBase & Record<string, unknown>;

// A reference host with one startup service at /orders (more service fields and sharing as given).
export const hostTarget = (service = '', sharing = 'receiveTimeout: 5s, dispatchTimeout: 5s') => `
  host:
    listen: 127.0.0.1:0
    sharing: { ${sharing} }
    services:
      - { path: /orders, activation: { mode: startup }${service} }`;

// The echo program fixture, or any command (with {port} somewhere so port: auto holds).
export const programTarget = (command = "[node, test/fixtures/programs/echo-server.ts, '{port}']") => `
  command: ${command}
  port: auto
  stop: { grace: 2s }`;

// A suite around `faults` (YAML flow items), validated as any suite is; throws with its problems.
export const suiteWith = (target: string, faults: string[]): ParsedSuite => {
  const text = `name: fault-test
seed: 7
target:${target}
load:
  - { name: l, via: /orders, model: constant-sessions, sessions: 1, duration: 1s }
faults:
${faults.map((f) => `  - ${f}`).join('\n')}
`;
  const r = loadSuiteText(text, 'fault-test.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.loaded.suite;
};

// The problems a suite has (empty when valid), as `validate` prints them.
export const problemsOf = (target: string, faults: string[]): string[] => {
  try {
    suiteWith(target, faults);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n');
  }
};

// The suite's faults as the timeline gets them.
export const specsOf = (s: ParsedSuite): Spec[] => s.faults;

export type Started = { target: LocalTarget; watchdog: Watchdog; events: Record<string, unknown>[] };

// Starts the suite's target as a run would; stopped (and its watchdog let go) at teardown.
export const startTarget = async (t: Test, s: ParsedSuite): Promise<Started> => {
  const watchdog = await Watchdog.start();
  const events: Record<string, unknown>[] = [];
  const target =
    s.target.host !== undefined
      ? await startHostTarget(s.target.host, {
          watchdog,
          startTimeoutMs: 20_000,
          onLog: (l) => events.push(l.data),
          onOutput: () => {},
        })
      : await startCommandTarget(s.target, { watchdog, onLine: () => {} });
  t.teardown(async () => {
    if (target.running()) await target.stop();
    await watchdog.close();
  });
  return { target, watchdog, events };
};

export type Context = FaultContext & { notes: Record<string, unknown>[]; releases: (() => void)[] };

// A FaultContext on a started target: notes are kept, safeguards go to the watchdog.
export const contextFor = (started: Started, seed = 7, target: FaultTarget = started.target): Context => {
  const random = seededRandom(seed, 'fault:test');
  const notes: Record<string, unknown>[] = [];
  const releases: (() => void)[] = [];
  return {
    target,
    random: () => random.float(),
    note: (d) => notes.push(d),
    safeguard: (g) => {
      const r = started.watchdog.guard(g);
      releases.push(r);
      return r;
    },
    signal: new AbortController().signal,
    notes,
    releases,
  };
};

// Whether a fresh session to a path opens (and ends) within the time.
export const sessionOpens = async (
  target: RunningTarget,
  path: string,
  timeoutMs = 1000,
): Promise<{ ok: boolean; ms: number; failure?: string }> => {
  const t0 = performance.now();
  const r = await openSession(
    await resolveNetTcpUrl(`net.tcp://${target.host}:${target.port}${path}`),
    sameTimeouts(timeoutMs),
  );
  const ms = performance.now() - t0;
  if (!r.ok) return { ok: false, ms, failure: `${r.failure.kind} during ${r.failure.stage}` };
  await r.session.end();
  return { ok: true, ms };
};

// The state letter of a process (R, S, T, ...), or 'gone'.
export const stateOf = async (pid: number): Promise<string> => {
  const s = await readStat(pid);
  return s === undefined || s.state === 'Z' ? 'gone' : s.state;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Polls until `check` holds; resolves with whether it did in time.
export const waitUntil = async (check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
  const until = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > until) return false;
    await sleep(25);
  }
};

// The host's status (host targets).
export const hostStatus = async (target: RunningTarget) =>
  (await target.control!({ command: 'status' })) as {
    routes: { path: string; workerPid: number | null; state: string }[];
    workers: {
      pid: number;
      path: string;
      registered: boolean;
      report: { sessions: number; calls: { active: number; queued: number; limit: number } } | null;
    }[];
    listener: { queued: number; reading: number; pending: number; counts: Record<string, unknown> };
  };

// The registered worker of /orders.
export const workerOf = async (target: RunningTarget, path = '/orders'): Promise<number> => {
  const s = await hostStatus(target);
  const pid = s.routes.find((r) => r.path === path)?.workerPid;
  if (pid === null || pid === undefined) throw new Error(`no worker for ${path}`);
  return pid;
};

// The record a run would keep of a fault whose context is `ctx`: its notes, injected at `at` (run time)
// right after it was issued, for the fault's `present` hook.
export const recordOf = (ctx: Context, spec: Record<string, unknown>, at = 1000): FaultRecord => ({
  id: `${String(spec['kind'])}#0`,
  kind: String(spec['kind']),
  label: String(spec['kind']),
  intentAt: at,
  injectedAt: at + 10,
  healedAt: at + 20,
  spec,
  notes: ctx.notes,
  errors: [],
});
