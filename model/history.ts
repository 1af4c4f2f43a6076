// The History: an append-only list of events, the one source of truth of a run. Checks are pure
// functions of it; reports render it. Written to history.ndjson as events happen, one JSON per line.
// `t` is milliseconds since the run started (monotonic clock).

import type { FigureReading } from './figures.ts';
import type { FailureKind, Stage } from './outcome.ts';

import type { Difference } from './difference.ts';
import type { Invalid, RunOutcome } from './result.ts';

// 2: the target's readiness and the run's outcome are events of their own (`ready`, `outcome`); version 1
// wrote them as log lines, which the reader still upgrades.
export const HISTORY_VERSION = 2;

// The first event: what ran, when, with what.
export type MetaEvent = {
  t: 0;
  kind: 'meta';
  version: 1 | typeof HISTORY_VERSION;
  suite: string;
  file: string;
  // The suite as run (its YAML text).
  text: string;
  seed: number;
  startedAt: string;
  tool: { name: string; version: string; node: string; platform: string };
};

// Run phases. `load` starts when load starts (fault `at` times count from it); `warmup` (short load of
// each load's session shape, so a lazy runtime has loaded what it needs) comes before the baseline.
export type Phase =
  'starting' | 'ready' | 'warmup' | 'baseline' | 'load' | 'drain' | 'settle' | 'final' | 'stopping' | 'done';

// `plannedMs`: how long the phase is meant to last (load, drain, settle), for progress and time left.
export type PhaseEvent = { t: number; kind: 'phase'; phase: Phase; plannedMs?: number };

// How a session or call failed, in the client's words; `reply-fault` is an operation that answered
// with a fault (the session itself was fine); `corrupt` a reply with the wrong content (an echo that is
// not what was sent); `http-status` an HTTP status outside 2xx that is no SOAP fault.
export type OpFailure = {
  kind: FailureKind | 'reply-fault' | 'corrupt' | 'http-status';
  stage: Stage;
  fault?: string | null;
  code?: string;
  message?: string;
  // Which call of the session failed (1 for the first), when a call did.
  call?: number;
  // A corrupt reply: where it first differs from what was sent.
  diff?: Difference;
};

// One session, once it completed (Jepsen's ok / fail / info: info when we cannot know what happened,
// such as a session cut off by the end of the run).
export type OpEvent = {
  t: number;
  kind: 'op';
  type: 'ok' | 'fail' | 'info';
  load: string;
  session: number;
  // When the session should have started (open models) and when it did.
  intended: number;
  start: number;
  // Latency from the intended start (corrected) and from the actual start (uncorrected).
  ms: number;
  uncorrectedMs: number;
  calls: number;
  failure?: OpFailure;
};

export type FaultEvent = {
  t: number;
  kind: 'fault';
  type: 'intent' | 'inject' | 'heal' | 'error' | 'note';
  // Unique within the run: kind#index (recycle#0).
  id: string;
  fault: string;
  label: string;
  detail?: Record<string, unknown>;
};

// fds of one process by kind, and its sockets by TCP state.
export type ProcessSample = {
  pid: number;
  ppid: number;
  // The kernel's short name (a Node process's is its main thread's: MainThread).
  comm: string;
  // Its command line (/proc/PID/cmdline), in the first reading that sees the process only.
  cmd?: string;
  // What the process is to the target: root, or a worker of a path (from the host), or child.
  role: string;
  fds: { socket: number; pipe: number; file: number; other: number; total: number };
  tcp: Record<string, number>;
  rssBytes: number;
  cpuPercent: number;
  // Threads (/proc/PID/stat field 20); absent in histories written before it was read.
  threads?: number;
  // On the baseline and final readings: each fd's target (/proc/PID/fd) and how many fds point at it,
  // sockets and pipes counted under `socket` and `pipe`, so evidence names what grew.
  fdTargets?: Record<string, number>;
};

// The proc observer's reading of the target's process tree.
export type TargetSample = { t: number; kind: 'sample'; source: 'target'; processes: ProcessSample[] };

// Another observer's reading (an exporter scraped, a Prometheus server queried): the figures it read,
// or, when the reading failed, why (a gap in the record, never a zero).
export type ObserverSample = {
  t: number;
  kind: 'sample';
  source: 'observer';
  // The observer's name (prometheus) and where it read (an exporter's or a server's URL).
  observer: string;
  from: string;
  readings: FigureReading[];
  error?: string;
};

// Latency percentiles of one window, with the encoded HdrHistogram so windows can be merged.
export type LatencyWindow = {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  hist: string;
};

export type LoadSample = {
  t: number;
  kind: 'sample';
  source: 'load';
  load: string;
  windowMs: number;
  // Sessions started, completed ok, failed by kind, and dropped (could not start) in the window.
  started: number;
  ok: number;
  failed: Record<string, number>;
  dropped: number;
  // Sessions in flight at the end of the window.
  active: number;
  calls: { ok: number; failed: number };
  // Of sessions (and calls) that succeeded, from the intended start (corrected) and the actual start;
  // `failed`: how long failed sessions took to fail, from their intended start. (Version 1 histories
  // mixed failures into corrected and uncorrected and had no `failed`.)
  latency: {
    corrected: LatencyWindow;
    uncorrected: LatencyWindow;
    call: LatencyWindow;
    failed?: LatencyWindow;
  };
};

// A load generator's own health; a saturated generator makes the run invalid. Without `generator` it is
// the harness process's (which runs the load itself unless the suite names generators); with it, that
// generator process's (its index is its execution segment's), read with each window.
export type GeneratorSample = {
  t: number;
  kind: 'sample';
  source: 'generator';
  lagP99Ms: number;
  lagMaxMs: number;
  // The whole process's CPU, and its event-loop thread's (what saturation is judged on; histories
  // before it have only the process's).
  cpuPercent: number;
  loopCpuPercent?: number;
  generator?: number;
  pid?: number;
  rssBytes?: number;
};

// One listener probe; `listener` is the address probed (net.tcp://... or http://...), which tells the
// probes of a run's listeners apart (histories before it have one listener).
export type ProbeEvent = {
  t: number;
  kind: 'probe';
  listener?: string;
  ok: boolean;
  ms: number;
  failure?: OpFailure;
};

// The target answered its first probe: where it is and how long that took.
export type ReadyEvent = {
  t: number;
  kind: 'ready';
  ms: number;
  pid?: number;
  host?: string;
  port?: number;
};

// The warm-up of one load before the baseline: how many sessions of its shape ran and how they ended.
export type WarmupEvent = {
  t: number;
  kind: 'warmup';
  load: string;
  sessions: number;
  ok: number;
  failed: Record<string, number>;
};

// How the run ended (the last event but `done`), so a history alone says what the run concluded.
export type OutcomeEvent = {
  t: number;
  kind: 'outcome';
  outcome: RunOutcome;
  exitCode: number;
  invalid?: Invalid;
};

// What the harness ran load against: its reference host, a program it started, or a remote service.
export type TargetKind = 'host' | 'command' | 'remote';

export type LogEvent = {
  t: number;
  kind: 'log';
  level: 'info' | 'warn' | 'error';
  // harness, target (a line the target printed), or fault.
  source: string;
  message: string;
  data?: Record<string, unknown>;
};

export type HistoryEvent =
  | MetaEvent
  | PhaseEvent
  | OpEvent
  | FaultEvent
  | TargetSample
  | ObserverSample
  | LoadSample
  | GeneratorSample
  | ProbeEvent
  | ReadyEvent
  | WarmupEvent
  | OutcomeEvent
  | LogEvent;

// A run's history in memory: every event but ok ops (those are only on disk; the load samples carry
// their counts and latencies), so memory stays bounded on long runs.
export type History = { meta: MetaEvent; events: HistoryEvent[] };
