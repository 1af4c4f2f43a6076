// The YAML form of the reference host's configuration (`target.host` in a suite, or the file given to
// `nettcp-chaos host --config`), resolved to the HostConfig the host runs with.

import * as z from 'zod';
import {
  DEFAULT_CONTENT_TYPES,
  DEFAULT_FORWARD_CONNECT_TIMEOUT_MS,
  DEFAULT_SHARING,
  DEFAULT_THROTTLE,
  DEFECTS,
  FORWARD_VIA_MODES,
  type ForwardConfig,
  type HostConfig,
  type ServiceConfig,
} from '../../host/config.ts';
import { isLoopbackHost, parseUpstream } from '../../host/listener/upstream.ts';
import { OPERATIONS } from '../../protocol/index.ts';
import {
  bool,
  duration,
  list,
  oneOf,
  positiveDuration,
  positiveInt,
  record,
  text,
  urlPath,
} from '../../model/fields.ts';

const LISTEN = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;

// host:port to listen on; port 0 picks a free one.
const listen = z
  .string({ error: 'HOST:PORT to listen on (for example 127.0.0.1:0; port 0 picks a free one)' })
  .regex(LISTEN, { error: 'HOST:PORT to listen on (for example 127.0.0.1:0; port 0 picks a free one)' })
  // zod runs this check even when the pattern failed (which reported it already).
  .refine((s) => Number(LISTEN.exec(s)?.[2] ?? 0) <= 65535, { error: 'a port from 0 to 65535' })
  .transform((s) => {
    const m = LISTEN.exec(s)!;
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  })
  .meta({ description: 'HOST:PORT to listen on (for example 127.0.0.1:0; port 0 picks a free one)' });

const sharing = record(
  {
    listenBacklog: positiveInt('a positive kernel accept-queue length').default(
      DEFAULT_SHARING.listenBacklog,
    ),
    maxPendingConnections: positiveInt('a positive number of connections waiting for dispatch').default(
      DEFAULT_SHARING.maxPendingConnections,
    ),
    maxPendingAccepts: positiveInt('a positive number of accepts running at once').default(
      DEFAULT_SHARING.maxPendingAccepts,
    ),
    receiveTimeout: positiveDuration('the time allowed to read a preamble').prefault('30s'),
    dispatchTimeout: positiveDuration('the time allowed to hand a connection to a worker').prefault('60s'),
  },
  'the port sharing settings: listenBacklog, maxPendingConnections, maxPendingAccepts, receiveTimeout, dispatchTimeout',
);

const operationSettings = record(
  { latency: duration('added latency per call').prefault('0ms') },
  'operation settings: { latency: DURATION }',
);

const UPSTREAM = 'an upstream net.tcp address such as net.tcp://127.0.0.1:9000/orders';
const upstream = z
  .string({ error: UPSTREAM })
  .refine((u) => parseUpstream(u) !== undefined, { error: UPSTREAM })
  .meta({ description: UPSTREAM });

// `forward: net.tcp://...`, or the long form with the via mode and the connect bound.
const forward = z
  .union(
    [
      upstream,
      record(
        {
          to: upstream,
          via: oneOf(
            FORWARD_VIA_MODES,
            "pass (the client's via, as sent) or rewrite (the upstream's own address)",
          ).default('pass'),
          connectTimeout: positiveDuration('how long connecting to the upstream may take').prefault(
            `${DEFAULT_FORWARD_CONNECT_TIMEOUT_MS / 1000}s`,
          ),
        },
        'a forward: { to: net.tcp://..., via: pass | rewrite, connectTimeout: DURATION }',
      ),
    ],
    { error: `${UPSTREAM}, or { to, via: pass | rewrite, connectTimeout }` },
  )
  .transform((f): ForwardConfig =>
    typeof f === 'string'
      ? { to: f, via: 'pass', connectTimeoutMs: DEFAULT_FORWARD_CONNECT_TIMEOUT_MS }
      : { to: f.to, via: f.via, connectTimeoutMs: f.connectTimeout },
  )
  .meta({
    description: `an upstream that serves this path instead of a worker: ${UPSTREAM}, or { to, via: pass | rewrite, connectTimeout }`,
  });

// The service fields that configure a worker, as the YAML names them; a forwarding service has none.
export const WORKER_SERVICE_FIELDS = [
  'throttle',
  'activation',
  'operations',
  'preDispatchHook',
  'contentTypes',
  'maxMessageSize',
  'overlappedRecycle',
  'drainTimeout',
] as const;

const service = record(
  {
    path: urlPath(),
    throttle: record(
      {
        maxConcurrentCalls: positiveInt('a positive number of calls dispatched at once').default(
          DEFAULT_THROTTLE.maxConcurrentCalls,
        ),
        maxConcurrentSessions: positiveInt('a positive number of sessions open at once').default(
          DEFAULT_THROTTLE.maxConcurrentSessions,
        ),
      },
      'the service throttle: { maxConcurrentCalls, maxConcurrentSessions }',
    ).prefault({}),
    activation: record(
      {
        mode: oneOf(['on-demand', 'startup']).default('on-demand'),
        delay: duration('how long the worker takes to start').prefault('0s'),
      },
      'activation: { mode: on-demand | startup, delay: DURATION }',
    ).prefault({}),
    operations: z
      .partialRecord(oneOf(OPERATIONS), operationSettings, {
        error: `operations by name (${OPERATIONS.join(', ')}), each { latency: DURATION }`,
      })
      .meta({ description: `operations by name (${OPERATIONS.join(', ')}), each { latency: DURATION }` })
      .default({}),
    preDispatchHook: record(
      { latency: duration('the hook latency per call').prefault('0ms') },
      'a pre-dispatch hook: { latency: DURATION }',
    ).prefault({}),
    contentTypes: list(text('a content type'), 'a list of accepted content types', 1).default([
      ...DEFAULT_CONTENT_TYPES,
    ]),
    maxMessageSize: positiveInt('a positive message size limit in bytes').default(65536),
    overlappedRecycle: bool('whether recycles may overlap (true or false)').default(true),
    host: text('the host name this service registers for (any host when absent)').optional(),
    drainTimeout: positiveDuration('how long a recycled worker may drain its sessions').optional(),
    forward: forward.optional(),
  },
  'a service: { path, host, throttle, activation, operations, preDispatchHook, contentTypes, maxMessageSize, overlappedRecycle, drainTimeout }, or { path, host, forward }',
);

// The `target.host` block.
export const hostSchema = record(
  {
    listen: listen.prefault('127.0.0.1:0'),
    sharing: sharing.prefault({}),
    services: list(service, 'a list of services, each with a path', 1),
    defects: list(oneOf(DEFECTS), `a list of defects (${DEFECTS.join(', ')})`).default([]),
    allowRemote: bool('whether forwarding routes may point outside loopback (true or false)').default(false),
  },
  'the reference host: { listen, sharing, services, defects, allowRemote }',
)
  .superRefine((h, ctx) => {
    const seen = new Map<string, number>();
    h.services.forEach((s, i) => {
      const first = seen.get(s.path);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'path'],
          message: `a path no other service registers (services[${first}] already registers ${s.path})`,
        });
      }
      seen.set(s.path, i);
      const up = s.forward === undefined ? undefined : parseUpstream(s.forward.to);
      if (up !== undefined && !h.allowRemote && !isLoopbackHost(up.host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'forward'],
          message: 'a loopback upstream (127.0.0.0/8, ::1 or localhost) unless allowRemote is true',
        });
      }
    });
  })
  .transform((h): HostConfig => ({
    listen: h.listen,
    sharing: {
      listenBacklog: h.sharing.listenBacklog,
      maxPendingConnections: h.sharing.maxPendingConnections,
      maxPendingAccepts: h.sharing.maxPendingAccepts,
      receiveTimeoutMs: h.sharing.receiveTimeout,
      dispatchTimeoutMs: h.sharing.dispatchTimeout,
    },
    services: h.services.map((s): ServiceConfig => ({
      path: s.path,
      throttle: s.throttle,
      activation: { mode: s.activation.mode, delayMs: s.activation.delay },
      operations: Object.fromEntries(
        Object.entries(s.operations).map(([op, v]) => [op, { latencyMs: v.latency }]),
      ),
      preDispatchHook: { latencyMs: s.preDispatchHook.latency },
      contentTypes: s.contentTypes,
      maxMessageSize: s.maxMessageSize,
      overlappedRecycle: s.overlappedRecycle,
      ...(s.host === undefined ? {} : { host: s.host }),
      ...(s.drainTimeout === undefined ? {} : { drainTimeoutMs: s.drainTimeout }),
      ...(s.forward === undefined ? {} : { forward: s.forward }),
    })),
    defects: [...new Set(h.defects)],
    ...(h.allowRemote ? { allowRemote: true } : {}),
  }));

// Cross-field problems of a raw `target.host` block that the schema cannot see once defaults are filled
// in: a service with forward and a worker's settings.
export const hostBlockProblems = (raw: unknown): { path: (string | number)[]; message: string }[] => {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { services?: unknown }).services))
    return [];
  return (raw as { services: unknown[] }).services.flatMap((s, i) => {
    if (typeof s !== 'object' || s === null || (s as { forward?: unknown }).forward === undefined) return [];
    const given = WORKER_SERVICE_FIELDS.filter((f) => (s as Record<string, unknown>)[f] !== undefined);
    return given.map((f) => ({
      path: ['services', i, f],
      message: `${f} goes with a service run by a worker, not one that forwards to an upstream (forward is set); remove one of them`,
    }));
  });
};
