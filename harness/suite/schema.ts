// The suite file: one schema is both the validator and the source of schema/suite.schema.json.

import * as z from 'zod';
import { FAULT_KINDS, FAULT_LIST } from '../../faults/index.ts';
import { schemasOf } from '../../model/plugin.ts';
import type { TargetKind } from '../../model/history.ts';
import { bool, list, nonNegativeInt, oneOf, positiveDuration, record, text } from '../../model/fields.ts';
import { checksSchema } from '../checks/index.ts';
import { httpUrl } from '../load/clients/http-fields.ts';
import { loadSchema } from '../load/clients/index.ts';
import { via } from '../load/clients/nettcp-fields.ts';
import { observeSchema } from '../observe/observers/index.ts';
import { hostSchema } from './host-schema.ts';

const fault = z
  .discriminatedUnion('kind', schemasOf(FAULT_LIST), {
    error: `a fault kind: ${FAULT_KINDS.join(', ')}`,
  })
  .meta({ description: `a fault: { kind, at, ... }; kinds: ${FAULT_KINDS.join(', ')}` });

const command = record(
  {
    command: list(text('a command-line argument'), 'the command to run, as a list of arguments', 1),
    port: z
      .union([z.literal('auto'), z.int().min(1).max(65535)], {
        error: 'auto (a free port, given as {port}) or a port number',
      })
      .meta({ description: 'auto (a free port, given as {port}) or a port number' }),
    httpPort: z
      .union([z.literal('auto'), z.int().min(1).max(65535)], {
        error: 'auto (a free port, given as {httpPort}) or a port number',
      })
      .meta({
        description:
          'the port the program serves HTTP on (its HTTP address, which relative HTTP urls resolve against): auto (a free port, given as {httpPort}) or a port number',
      })
      .optional(),
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
  'a program target: { command, port, httpPort, host, env, cwd, stop }',
);

const netTcpUrl = z
  .string({ error: 'a net.tcp URL such as net.tcp://winhost:808/' })
  .refine((s) => s.startsWith('net.tcp://') && URL.canParse(s) && new URL(s).hostname !== '', {
    error: 'a net.tcp URL such as net.tcp://winhost:808/',
  })
  .meta({ description: 'a net.tcp URL such as net.tcp://winhost:808/' });

// A service the harness neither starts nor stops: its net.tcp URLs (relative vias resolve against the
// first); ready when the probe succeeds.
const remote = record(
  {
    url: z
      .union([netTcpUrl, list(netTcpUrl, 'a list of net.tcp URLs', 1)], {
        error: 'a net.tcp URL, or a list of them',
      })
      .transform((u) => (Array.isArray(u) ? u : [u]))
      .meta({ description: 'a net.tcp URL, or a list of them (relative vias resolve against the first)' }),
  },
  'a remote target: { url }',
);

const target = z
  .strictObject(
    {
      host: hostSchema.optional(),
      remote: remote.optional(),
      command: command.shape.command.optional(),
      port: command.shape.port.optional(),
      httpPort: command.shape.httpPort,
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
        'a target: { host: ... } for the built-in host, { command: [...], port: auto } for any program, or { remote: { url } } for a service the harness does not start',
    },
  )
  .meta({
    description:
      'the target: { host } for the built-in reference host, { command, port } for any program, { remote: { url } } for a service already running',
  });

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

const GENERATORS = 'a number of load generator processes (1 to 64), or auto';

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
    load: list(loadSchema, 'a list of loads', 1),
    faults: list(fault, 'a list of faults').default([]),
    probe: record(
      {
        interval: positiveDuration('how often the listener probe runs').prefault('250ms'),
        timeout: positiveDuration('how long a probe session may take').prefault('1s'),
        via: via.optional(),
        calls: nonNegativeInt(
          'calls each probe session makes (0: open and end only), those of the load on its via: its SOAP call or an op framing echo',
        ).default(0),
        url: httpUrl
          .meta({
            description:
              'an HTTP listener to probe beside the net.tcp one: one request on a fresh connection, as the HTTP load on that url sends it',
          })
          .optional(),
      },
      'the listener probe: { interval, timeout, via, calls, url }',
    ).prefault({}),
    observe: observeSchema.prefault({}),
    drain: positiveDuration('how long sessions in flight may finish after load stops').prefault('5s'),
    generators: z
      .union([z.int().min(1, { error: GENERATORS }).max(64, { error: GENERATORS }), z.literal('auto')], {
        error: GENERATORS,
      })
      .meta({
        description:
          'run the load in N generator processes, each an execution segment of every load (auto: the cores the target does not need, at least 1); without it, load runs in the harness process',
      })
      .optional(),
    checks: checksSchema.prefault({}),
    expect,
    variants: list(variant, 'a list of variants, each { name, set }').optional(),
  },
  'a suite: { name, target, load, faults, probe, checks, expect, variants }',
);

export type SuiteInput = z.input<typeof suiteSchema>;
export type ParsedSuite = z.output<typeof suiteSchema>;
export type LoadSpec = ParsedSuite['load'][number];
export type FaultSpec = ParsedSuite['faults'][number];
export type { ChecksSpec } from '../checks/index.ts';
export type TargetSpec = ParsedSuite['target'];

// What kind of target a suite runs against.
export const targetKindOf = (suite: ParsedSuite): TargetKind =>
  suite.target.host !== undefined ? 'host' : suite.target.remote !== undefined ? 'remote' : 'command';
