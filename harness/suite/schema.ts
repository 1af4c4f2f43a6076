// The suite file: one schema is both the validator and the source of schema/suite.schema.json.

import * as z from 'zod';
import { FAULTS } from '../../faults/index.ts';
import type { FaultSpecBase } from '../../faults/types.ts';
import { OPERATIONS, OPS_CONTENT_TYPE } from '../../protocol/index.ts';
import {
  bool,
  duration,
  fraction,
  list,
  nonNegativeInt,
  oneOf,
  positiveDuration,
  positiveInt,
  positiveNumber,
  record,
  text,
} from './fields.ts';
import { hostSchema } from './host-schema.ts';

// A via: a path resolved against the target (/orders) or a whole net.tcp URL.
const via = z
  .string({ error: 'a path such as /orders, or a net.tcp:// URL' })
  .regex(/^(\/\S*|net\.tcp:\/\/\S+)$/, { error: 'a path such as /orders, or a net.tcp:// URL' })
  .meta({ description: 'a path such as /orders, or a net.tcp:// URL' });

// A SOAP call to a WCF service (the reference host's workers are one), instead of the compact op framing.
const soapCall = record(
  {
    operation: text('the operation name (for example Echo)'),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
        error: 'the operation parameters by name: { text: hello }',
      })
      .meta({
        description:
          'the operation parameters by name: { text: hello }; {payload} in a value stands for session.payload seeded characters',
      })
      .default({}),
    contract: text(
      'the service contract name (for the default action {namespace}{contract}/{operation})',
    ).optional(),
    namespace: text('the contract namespace (default http://tempuri.org/)').optional(),
    action: text('the SOAP action, when not the default').optional(),
    encoding: oneOf(['binary-session', 'soap12']).default('binary-session'),
    to: text(
      'the To address (default: the via; a service behind a forwarding route wants its own address)',
    ).optional(),
  },
  'a SOAP call: { operation, params, contract, namespace, action, encoding, to }',
);

const session = record(
  {
    calls: nonNegativeInt('a number of calls per session (0 or more)').default(1),
    payload: nonNegativeInt(
      'a payload size in bytes (the op framing; with soap, the length of {payload} in its params)',
    ).default(64),
    operation: oneOf(OPERATIONS).default('echo'),
    // For sleep and cpu: how long the host sleeps or burns per call.
    arg: duration('how long sleep sleeps and cpu burns').prefault('0ms'),
    // The op framing's preamble encoding; a soap call opens with soap.encoding instead.
    encoding: text(
      `the encoding of op framing sessions: ${OPS_CONTENT_TYPE} (its own, the default), binary-session, soap12, soap11, binary, or a content type`,
    ).default(OPS_CONTENT_TYPE),
    openTimeout: positiveDuration('the open timeout').prefault('5s'),
    callTimeout: positiveDuration('the call timeout').prefault('5s'),
    think: duration('the pause between calls').prefault('0ms'),
    soap: soapCall.optional(),
  },
  'a session: { calls, payload, operation, arg, encoding, openTimeout, callTimeout, think, soap }',
).prefault({});

const loadCommon = {
  name: text('a name for this load'),
  client: oneOf(['nettcp']).default('nettcp'),
  via,
  startAt: duration('when this load starts, from the start of load').prefault('0s'),
  session,
};

const stage = record(
  {
    target: z
      .number({ error: 'a target rate in sessions per second (0 or more)' })
      .nonnegative({ error: 'a target rate in sessions per second (0 or more)' })
      .meta({ description: 'a target rate in sessions per second (0 or more)' }),
    duration: positiveDuration('how long the ramp to the target takes'),
  },
  'a stage: { target: RATE, duration: DURATION }',
);

const maxSessions = positiveInt('a positive cap on sessions in flight; starts beyond it are dropped').default(
  1000,
);

const load = z
  .discriminatedUnion(
    'model',
    [
      record(
        {
          ...loadCommon,
          model: z.literal('constant-arrival-rate'),
          rate: positiveNumber('a positive number of sessions per second'),
          duration: positiveDuration('how long the load runs'),
          maxSessions,
        },
        'an open load: { name, via, model: constant-arrival-rate, rate, duration, session }',
      ),
      record(
        {
          ...loadCommon,
          model: z.literal('ramping-arrival-rate'),
          startRate: z
            .number({ error: 'a start rate in sessions per second (0 or more)' })
            .nonnegative({ error: 'a start rate in sessions per second (0 or more)' })
            .default(0),
          stages: list(stage, 'a list of stages, each { target, duration }', 1),
          maxSessions,
        },
        'a ramping load: { name, via, model: ramping-arrival-rate, startRate, stages, session }',
      ),
      record(
        {
          ...loadCommon,
          model: z.literal('constant-sessions'),
          sessions: positiveInt('a positive number of concurrent sessions'),
          duration: positiveDuration('how long the load runs'),
        },
        'a closed load: { name, via, model: constant-sessions, sessions, duration, session }',
      ),
    ],
    { error: 'a load model: constant-arrival-rate, ramping-arrival-rate or constant-sessions' },
  )
  .meta({ description: 'a load: { name, via, model, ... }' });

const faultSchemas = Object.values(FAULTS).map((f) => f.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
const fault = z
  .discriminatedUnion('kind', faultSchemas, {
    error: `a fault kind: ${Object.keys(FAULTS).join(', ')}`,
  })
  .meta({ description: `a fault: { kind, at, ... }; kinds: ${Object.keys(FAULTS).join(', ')}` });

const command = record(
  {
    command: list(text('a command-line argument'), 'the command to run, as a list of arguments', 1),
    port: z
      .union([z.literal('auto'), z.int().min(1).max(65535)], {
        error: 'auto (a free port, given as {port}) or a port number',
      })
      .meta({ description: 'auto (a free port, given as {port}) or a port number' }),
    host: text('the host the program listens on').default('127.0.0.1'),
    env: z
      .record(z.string(), z.string({ error: 'an environment value (a string)' }), {
        error: 'environment variables: { NAME: value }',
      })
      .default({}),
    cwd: text('the directory to run in').optional(),
    stop: record(
      {
        signal: oneOf(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGKILL']).default('SIGTERM'),
        grace: positiveDuration('the wait after the signal before SIGKILL').prefault('5s'),
      },
      'how to stop the program: { signal, grace }',
    ).prefault({}),
  },
  'a program target: { command, port, host, env, cwd, stop }',
);

const target = z
  .strictObject(
    {
      host: hostSchema.optional(),
      command: command.shape.command.optional(),
      port: command.shape.port.optional(),
      env: command.shape.env.optional(),
      cwd: command.shape.cwd,
      stop: command.shape.stop.optional(),
      ready: record(
        {
          timeout: positiveDuration('how long the target may take to answer a probe').prefault('30s'),
          via: via.optional(),
        },
        'readiness: { timeout, via }',
      ).prefault({}),
    },
    {
      error:
        'a target: { host: ... } for the built-in host, or { command: [...], port: auto } for any program',
    },
  )
  .meta({
    description: 'the target: { host } for the built-in reference host, or { command, port } for any program',
  });

const checks = record(
  {
    'listener.responsive': record(
      { maxGap: positiveDuration('the longest allowed gap without a successful probe') },
      '{ maxGap: DURATION }',
    ).optional(),
    'handles.noLeak': record(
      {
        tolerance: nonNegativeInt('how many fds above the warm baseline are tolerated').default(2),
        settle: duration('the wait after load before the final count').prefault('3s'),
      },
      '{ tolerance: N, settle: DURATION }',
    ).optional(),
    'sessions.errorRate': record(
      {
        max: fraction('the highest allowed share of failed sessions, from 0 to 1'),
        countDropped: bool('whether sessions that could not start count as errors').default(true),
      },
      '{ max: FRACTION }',
    ).optional(),
    latency: record(
      {
        p50: positiveDuration('the p50 limit').optional(),
        p90: positiveDuration('the p90 limit').optional(),
        p99: positiveDuration('the p99 limit').optional(),
        max: positiveDuration('the max limit').optional(),
        phase: oneOf(['all', 'baseline', 'faults', 'recovery']).default('all'),
        metric: oneOf(['session', 'call']).default('session'),
      },
      '{ p50, p90, p99, max, phase: all | baseline | faults | recovery, metric: session | call }',
    ).optional(),
    'throughput.min': record(
      {
        rate: positiveNumber('the lowest allowed rate of successful sessions per second'),
        window: positiveDuration('the window the rate is measured over').prefault('1s'),
        phase: oneOf(['all', 'baseline', 'faults', 'recovery']).default('all'),
      },
      '{ rate: N, window: DURATION, phase }',
    ).optional(),
  },
  'checks by name: listener.responsive, handles.noLeak, sessions.errorRate, latency, throughput.min',
).prefault({});

const expect = z
  .union(
    [
      z.literal('pass'),
      record(
        { fail: list(text('a check name'), 'the checks that must fail (a list of check names)', 1) },
        '{ fail: [check names] }',
      ),
    ],
    { error: 'pass, or { fail: [check names] } for a bug reproduction' },
  )
  .meta({ description: 'pass, or { fail: [check names] } for a bug reproduction' })
  .default('pass');

// A variant: the same suite with some fields set otherwise (dotted paths, list items by index), run
// after the others and reported side by side with them.
const variant = record(
  {
    name: z
      .string({ error: 'a variant name of letters, digits, dashes and underscores' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
        error: 'a variant name of letters, digits, dashes and underscores',
      })
      .meta({ description: 'a variant name of letters, digits, dashes and underscores' }),
    set: z
      .record(
        z.string().regex(/^[A-Za-z_][\w.-]*$/, {
          error: 'a dotted field path such as target.host.sharing.maxPendingAccepts',
        }),
        z.unknown(),
        { error: 'fields to set, by dotted path: { target.host.sharing.maxPendingAccepts: 10 }' },
      )
      .meta({ description: 'fields to set, by dotted path: { target.host.sharing.maxPendingAccepts: 10 }' }),
  },
  'a variant: { name, set: { dotted.path: value } }',
);

// The suite file.
export const suiteSchema = record(
  {
    name: z
      .string({ error: 'a suite name of letters, digits, dots, dashes and underscores' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        error: 'a suite name of letters, digits, dots, dashes and underscores',
      })
      .meta({
        description: 'a suite name of letters, digits, dots, dashes and underscores (used as a folder name)',
      }),
    description: z.string({ error: 'a description (text)' }).optional(),
    seed: z.int({ error: 'an integer seed' }).meta({ description: 'an integer seed' }).optional(),
    allowRemote: bool('whether load may go outside loopback (true or false)').default(false),
    target,
    load: list(load, 'a list of loads', 1),
    faults: list(fault, 'a list of faults').default([]),
    probe: record(
      {
        interval: positiveDuration('how often the listener probe runs').prefault('250ms'),
        timeout: positiveDuration('how long a probe session may take').prefault('1s'),
        via: via.optional(),
        calls: nonNegativeInt(
          'calls each probe session makes (0: open and end only), those of the load on its via: its SOAP call or an op framing echo',
        ).default(0),
      },
      'the listener probe: { interval, timeout, via, calls }',
    ).prefault({}),
    observe: record(
      { interval: positiveDuration('how often observers sample the target').prefault('500ms') },
      'observers: { interval }',
    ).prefault({}),
    drain: positiveDuration('how long sessions in flight may finish after load stops').prefault('5s'),
    checks,
    expect,
    variants: list(variant, 'a list of variants, each { name, set }').optional(),
  },
  'a suite: { name, target, load, faults, probe, checks, expect, variants }',
);

export type SuiteInput = z.input<typeof suiteSchema>;
export type ParsedSuite = z.output<typeof suiteSchema>;
export type LoadSpec = ParsedSuite['load'][number];
// Each fault's own schema checked its fields; the union only knows the fields they share.
export type FaultSpec = FaultSpecBase & Record<string, unknown>;
export type ChecksSpec = ParsedSuite['checks'];
export type TargetSpec = ParsedSuite['target'];
