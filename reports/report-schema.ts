// report.json's schema: one zod schema types buildReport's result and is the source of
// schema/report.schema.json (`npm run schema`). Versioning: `version` changes only when a field is
// removed, renamed or changes meaning; within a version fields are only added, so consumers check
// `schema` and `version` and ignore fields they do not know.

import * as z from 'zod';

// report.json's `schema` and `version` fields.
export const REPORT_SCHEMA = 'nettcp-chaos/report';
export const REPORT_VERSION = 1;

const d = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description });

const ms = (what: string) => d(z.number(), `${what}, in milliseconds`);
const runTime = (what: string) => d(z.number(), `${what}, in milliseconds since the run started`);
const count = (what: string) => d(z.int().nonnegative(), what);

const percentiles = d(
  z.object({
    count: count('how many sessions (or calls) were measured'),
    p50: ms('the median'),
    p90: ms('the 90th percentile'),
    p99: ms('the 99th percentile'),
    max: ms('the slowest'),
  }),
  'latency percentiles merged from the HdrHistograms of every load window (all 0 when count is 0)',
);

const verdict = d(
  z.object({
    check: d(z.string(), 'the check name as the suite writes it (listener.responsive, handles.noLeak, ...)'),
    status: d(
      z.enum(['pass', 'fail', 'unknown']),
      'unknown: the run did not give the check what it needs; never a pass',
    ),
    summary: d(z.string(), 'what happened, in words meant to be pasted into a ticket'),
    evidence: d(
      z.record(z.string(), z.unknown()),
      "the check's figures behind its summary; each check's fields are described in README, How to read a report",
    ),
  }),
  "one check's verdict",
);

const load = d(
  z.object({
    name: d(z.string(), 'the load name from the suite'),
    started: count('sessions started'),
    ok: count('sessions that completed'),
    failed: d(
      z.record(z.string(), z.int().nonnegative()),
      'failed sessions by how they failed (timeout, fault, reset, refused, closed, reply-fault, ...)',
    ),
    dropped: count('sessions an open model could not start because maxSessions were in flight'),
    errorRate: d(
      z.number().min(0).max(1).nullable(),
      '(failed + dropped) / (ok + failed + dropped); null when no session ended',
    ),
    calls: z.object({ ok: count('calls answered'), failed: count('calls that failed') }),
    latencyMs: z.object({
      corrected: d(
        percentiles,
        'latency of sessions that succeeded, from the intended start (open models): stalls show here',
      ),
      uncorrected: d(percentiles, 'latency of sessions that succeeded, from the actual start'),
      call: d(percentiles, 'latency of single calls'),
      failed: d(
        percentiles,
        'how long failed sessions took to fail, from the intended start (count 0 in histories before it was recorded)',
      ),
    }),
    noSuccess: d(
      z.array(z.object({ from: runTime('where it began'), to: runTime('where it ended') })),
      'stretches where sessions failed and none succeeded (an outage: no latency there, however fast the failures)',
    ),
  }),
  "one load's totals over the whole run",
);

const fault = d(
  z.object({
    id: d(z.string(), 'kind#index, unique within the run (recycle#0)'),
    kind: d(z.string(), 'the fault kind from the suite'),
    label: d(z.string(), 'the fault in words (overlapped recycle of /orders)'),
    issuedAt: d(
      runTime('when it was issued (journaled, before it acted)').nullable(),
      'null when it never was; an instant fault (a recycle) acts from here until injectedAt',
    ),
    injectedAt: d(runTime('when it took effect').nullable(), 'null when it never did'),
    healedAt: d(runTime('when it was healed').nullable(), 'null when it never was'),
    errors: d(z.array(z.unknown()), 'what went wrong injecting or healing it'),
    notes: d(z.array(z.unknown()), 'what the fault reported while acting (for a recycle: old and new pids)'),
    said: d(
      z.array(z.string()),
      'its notes and errors in sentences, as report.html shows them (its kind says what they mean)',
    ),
  }),
  'one fault of the timeline',
);

const gap = d(
  z.object({
    from: runTime('the last successful probe before it'),
    to: runTime('the next one'),
    ms: ms('its length'),
  }),
  'the longest stretch without a successful probe from the start of load to the final reading',
);

const role = d(
  z.object({
    role: d(z.string(), 'what the processes are to the target: listener, worker /orders, process, child'),
    pids: d(z.array(z.int()), 'every pid seen in this role (a recycle adds one)'),
    baselineFds: d(
      z.int().nullable(),
      "the role's fds in the last reading before load; null when it had none then",
    ),
    peakFds: count("the role's highest fd count (its processes summed at each reading)"),
    finalFds: d(z.int().nullable(), "the role's fds in the final reading after settle; null when not taken"),
    peakCloseWait: count("the most of the role's sockets in CLOSE_WAIT at one reading"),
  }),
  "one process role's file descriptors",
);

// report.json.
export const reportSchema = z
  .object({
    schema: d(z.literal(REPORT_SCHEMA), 'always nettcp-chaos/report'),
    version: d(z.literal(REPORT_VERSION), 'changes only when a field is removed, renamed or changes meaning'),
    suite: d(z.string(), 'the suite name'),
    file: d(z.string(), 'the suite file as given to run'),
    seed: d(
      z.int(),
      "the seed the run used (the suite's, or --seed); rerun with it to repeat payloads and choices",
    ),
    startedAt: d(z.string(), 'when the run started (ISO 8601)'),
    durationMs: ms('how long the run took'),
    tool: z.object({
      name: z.string(),
      version: d(z.string(), 'the nettcp-chaos version'),
      node: d(z.string(), 'the Node version the harness ran on'),
      platform: d(z.string(), 'OS and architecture (linux-x64)'),
    }),
    outcome: z.object({
      result: d(
        z.enum(['met', 'not-met', 'interrupted', 'invalid']),
        'met: every check as expected; not-met: not; interrupted: stopped early; invalid: the run cannot be trusted',
      ),
      exitCode: d(z.int(), 'the exit code this outcome gives: 0 met, 1 not-met, 3 interrupted, 4 invalid'),
      expect: d(
        z.union([z.literal('pass'), z.object({ fail: z.array(z.string()) })]),
        "the suite's expectation: pass, or the checks a reproduction expects to fail",
      ),
      met: d(z.boolean(), 'whether the verdicts met the expectation'),
      reasons: d(z.array(z.string()), 'why not, one line per check'),
      invalidReason: d(z.string(), 'why the run is invalid (only when result is invalid)').optional(),
      invalidCode: d(
        z.string(),
        'why the run is invalid, as a stable code (RUN_TARGET_NOT_READY, ...)',
      ).optional(),
    }),
    verdicts: d(z.array(verdict), "the checks' verdicts in the suite's order"),
    loads: z.array(load),
    faults: d(z.array(fault), 'in the order they were first journaled'),
    probes: z.object({
      total: count('probe sessions opened'),
      failed: count('probe sessions that failed'),
      longestGap: d(gap.nullable(), 'null when no probe ran during load'),
      endedWithoutAnswer: d(
        z.boolean(),
        'whether the listener never answered again after the longest gap began',
      ),
      slowestOkMs: d(z.number(), 'the longest a successful probe session took (0 when none succeeded)'),
    }),
    target: z.object({
      kind: d(
        z.enum(['host', 'command', 'remote']),
        'the built-in reference host, a program, or a remote service',
      ),
      pid: d(z.int(), "the target's root pid").optional(),
      host: d(z.string(), 'the address it listened on').optional(),
      port: d(z.int(), 'the port it listened on').optional(),
      peakFds: count('the highest fd count of all target processes together at one reading'),
      processesSeen: count('how many target processes were seen'),
      roles: d(z.array(role), 'fds per process role'),
    }),
    files: d(
      z.object({ history: z.string(), junit: z.string(), html: z.string() }),
      'the other files of the run, relative to this one',
    ),
  })
  .meta({ title: 'nettcp-chaos report', description: "report.json: a run's outcome, verdicts and figures" });

// A parsed report.json.
export type Report = z.infer<typeof reportSchema>;
