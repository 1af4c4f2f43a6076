// `nettcp-chaos run --dry-run`: the resolved plan of each suite run, without starting anything: the
// target (its command with {port} left for the free port picked at start, or the host's settings), each
// load's window, each fault's window and what it will do, the probe, checks and expectation. Times count
// from the start of load, as fault `at` times do.

import { FAULTS } from '../../faults/index.ts';
import { configured, settleMs } from '../checks/index.ts';
import { configuredObservers } from '../observe/observers/index.ts';
import { formatDuration } from '../../model/duration.ts';
import { journalDir } from '../run/journal.ts';
import { CLIENTS, clientOf } from '../load/clients/index.ts';
import { modelOf } from '../load/models/index.ts';
import { faultSchedule, loadLengthMs } from '../suite/fault-schedule.ts';
import { type LoadSpec, targetKindOf } from '../suite/schema.ts';
import type { SuiteRun } from '../suite/variants.ts';

// A plan as data (for --json) before it is text.
export type Plan = {
  suite: string;
  file: string;
  variant?: string;
  seed: number | 'fresh';
  target: string[];
  loads: { name: string; from: number; to: number; what: string }[];
  faults: { id: string; from: number; to: number | null; what: string }[];
  probe: string;
  observers: string[];
  checks: string[];
  expect: string;
  loadEndsAt: number;
  // The longest the run can take after the target is ready: load, drain, settle.
  atMostAfterReadyMs: number;
  journal: string;
};

const d = formatDuration;

// The load's model, then its client: where it goes and what each session sends.
const loadWhat = (l: LoadSpec): string => `${modelOf(l).describe(l)} ${clientOf(l).describe(l)}`;

// Each listener the run probes, by the client that probes it.
const probed = (s: SuiteRun['suite']): string =>
  [...CLIENTS.values()]
    .flatMap((c) => {
      const a = c.probeAddress(s);
      return a === undefined ? [] : [`${c.addressField} ${a}`];
    })
    .join(' and ');

const targetLines = (run: SuiteRun): string[] => {
  const t = run.suite.target;
  if (t.host !== undefined) {
    const h = t.host;
    const sh = h.sharing;
    return [
      `the reference host on ${h.listen.host}:${h.listen.port === 0 ? 'auto (a free port picked at start)' : h.listen.port}`,
      `sharing: listenBacklog ${sh.listenBacklog}, maxPendingConnections ${sh.maxPendingConnections}, maxPendingAccepts ${sh.maxPendingAccepts}, receiveTimeout ${d(sh.receiveTimeoutMs)}, dispatchTimeout ${d(sh.dispatchTimeoutMs)}`,
      ...h.services.map((s) => {
        if (s.forward !== undefined)
          return `service ${s.path}: forwarded to ${s.forward.to} (via ${s.forward.via}, connect within ${d(s.forward.connectTimeoutMs)})`;
        const ops = Object.entries(s.operations).map(([op, v]) => `${op} +${d(v.latencyMs)}`);
        return (
          `service ${s.path}: ${s.activation.mode} activation, delay ${d(s.activation.delayMs)}; ` +
          `maxConcurrentCalls ${s.throttle.maxConcurrentCalls}, maxConcurrentSessions ${s.throttle.maxConcurrentSessions}` +
          (ops.length === 0 ? '' : `; ${ops.join(', ')}`) +
          (s.preDispatchHook.latencyMs > 0 ? `; pre-dispatch hook ${d(s.preDispatchHook.latencyMs)}` : '') +
          (s.overlappedRecycle ? '' : '; recycles stop-start only')
        );
      }),
      `defects: ${h.defects.length === 0 ? 'none' : h.defects.join(', ')}`,
      `ready: a probe session within ${d(t.ready.timeout)}`,
    ];
  }
  if (t.remote !== undefined)
    return [
      `remote: ${t.remote.url.join(', ')} (neither started nor stopped by the harness)`,
      `ready: a probe session within ${d(t.ready.timeout)}`,
    ];
  const port =
    t.port === 'auto' || t.port === undefined ? 'auto (a free port picked at start, as {port})' : t.port;
  const env = Object.entries(t.env ?? {});
  return [
    `program: ${t.command!.join(' ')}`,
    `port: ${port}`,
    ...(t.httpPort === undefined
      ? []
      : [
          `http port: ${t.httpPort === 'auto' ? 'auto (a free port picked at start, as {httpPort})' : t.httpPort}`,
        ]),
    ...(env.length === 0 ? [] : [`env: ${env.map(([k, v]) => `${k}=${v}`).join(' ')}`]),
    ...(t.cwd === undefined ? [] : [`cwd: ${t.cwd}`]),
    `stop: ${t.stop?.signal ?? 'SIGTERM'}, then SIGKILL after ${d(t.stop?.grace ?? 5000)}`,
    `ready: a probe session within ${d(t.ready.timeout)}`,
  ];
};

// Resolves what can be resolved without starting anything.
export const planOf = (run: SuiteRun, seedFlag: number | undefined, journal = journalDir()): Plan => {
  const s = run.suite;
  const loads = s.load.map((l) => ({
    name: l.name,
    from: l.startAt,
    to: l.startAt + loadLengthMs(l),
    what: loadWhat(l),
  }));
  const loadEndsAt = Math.max(...loads.map((l) => l.to));
  // Faults still active when load has drained are healed then; those not started by then never run.
  const healedBy = loadEndsAt + s.drain;
  const faults = faultSchedule(s).map((f) => {
    const fault = FAULTS.get(f.kind)!;
    const name = typeof f['name'] === 'string' ? `${f['name']}: ` : '';
    const occurrence = f.occurrence === undefined ? '' : ` (${f.occurrence.n} of ${f.occurrence.of})`;
    const to = f.duration === undefined ? null : f.at + f.duration;
    const warning =
      f.at >= loadEndsAt
        ? ' (WARNING: starts after load ends; it will not run)'
        : to !== null && to > healedBy
          ? ` (WARNING: healed early, at most ${d(healedBy)}, when load has drained)`
          : '';
    return { id: f.id, from: f.at, to, what: `${name}${fault.describe(f)}${occurrence}${warning}` };
  });
  const settle = settleMs(s.checks) ?? s.observe.interval;
  const p = s.probe;
  return {
    suite: s.name,
    file: run.file,
    ...(run.variant === undefined ? {} : { variant: `${run.variant.name} of ${run.variant.of}` }),
    seed: seedFlag ?? s.seed ?? 'fresh',
    target: targetLines(run),
    loads,
    faults,
    probe: `every ${d(p.interval)} (timeout ${d(p.timeout)}) ${probed(s)}${p.calls > 0 ? `, ${p.calls} call(s)` : ''}; observers every ${d(s.observe.interval)}`,
    observers: configuredObservers(s.observe, targetKindOf(s)).map(([o, v]) => `${o.name}: ${o.describe(v)}`),
    checks: configured(s.checks).map(([c, v]) => `${c.name}: ${c.describe(v)}`),
    expect: s.expect === 'pass' ? 'pass' : `fail ${s.expect.fail.join(', ')}`,
    loadEndsAt,
    atMostAfterReadyMs: s.observe.interval * 2 + loadEndsAt + s.drain + settle,
    journal,
  };
};

// The plan as text.
export const renderPlan = (p: Plan): string => {
  const when = (from: number, to: number | null) =>
    to === null ? `at ${d(from)} (instant)` : `${d(from)} -> ${d(to)}`;
  const width = Math.max(0, ...p.loads.map((l) => l.name.length), ...p.faults.map((f) => f.id.length));
  const windows = [...p.loads.map((l) => when(l.from, l.to)), ...p.faults.map((f) => when(f.from, f.to))];
  const span = Math.max(0, ...windows.map((w) => w.length));
  return [
    `${p.suite} (${p.file})${p.variant === undefined ? '' : `, variant ${p.variant}`}: seed ${p.seed === 'fresh' ? 'fresh each run' : p.seed}`,
    '  target:',
    ...p.target.map((l) => `    ${l}`),
    '  load (times from the start of load):',
    ...p.loads.map((l) => `    ${l.name.padEnd(width)}  ${when(l.from, l.to).padEnd(span)}  ${l.what}`),
    `  faults:${p.faults.length === 0 ? ' none' : ''}`,
    ...p.faults.map((f) => `    ${f.id.padEnd(width)}  ${when(f.from, f.to).padEnd(span)}  ${f.what}`),
    `  probe: ${p.probe}`,
    `  observers:${p.observers.length === 0 ? ' none (checks of handles and memory will be unknown)' : ''}`,
    ...p.observers.map((o) => `    ${o}`),
    `  checks:${p.checks.length === 0 ? ' none' : ''}`,
    ...p.checks.map((c) => `    ${c}`),
    `  expect: ${p.expect}`,
    `  load ends at ${d(p.loadEndsAt)}; the run takes at most ${d(p.atMostAfterReadyMs)} once the target is ready (baseline, load, drain, settle)`,
    `  fault journal: ${p.journal} (journals of crashed runs are swept at the start)`,
  ].join('\n');
};
