// A HostConfig as JSON (what `host/main.ts` reads): every field checked, every problem reported at once,
// and what is left out filled in with the defaults of host/config.ts. Times are milliseconds.

import * as z from 'zod';
import { OPERATIONS } from '../protocol/index.ts';
import {
  DEFAULT_CONTENT_TYPES,
  DEFAULT_FORWARD_CONNECT_TIMEOUT_MS,
  DEFAULT_SHARING,
  DEFAULT_THROTTLE,
  DEFECTS,
  FORWARD_VIA_MODES,
  type HostConfig,
} from './config.ts';
import { HostError, HostErrorCode } from './errors.ts';
import { isLoopbackHost, parseUpstream } from './listener/upstream.ts';
import { describeIssues, ms } from './validation.ts';

// The environment variable that may carry the configuration (JSON) instead of a file.
export const CONFIG_ENV = 'NETTCP_CHAOS_HOST_CONFIG';

const positive = (what: string) => z.int({ error: what }).positive({ error: what });
const latency = z.strictObject({ latencyMs: ms('added latency') }, { error: '{ latencyMs }' });

const UPSTREAM = 'a net.tcp address: net.tcp://HOST[:PORT]/PATH';
const upstream = z
  .string({ error: UPSTREAM })
  .refine((s) => parseUpstream(s) !== undefined, { error: UPSTREAM });

// `forward: "net.tcp://..."`, or the object with the via mode and the connect bound.
const forward = z
  .union(
    [
      upstream.transform((to) => ({ to })),
      z.strictObject({
        to: upstream,
        via: z.enum(FORWARD_VIA_MODES, { error: '"pass" or "rewrite"' }).optional(),
        connectTimeoutMs: positive('a positive number of milliseconds').optional(),
      }),
    ],
    { error: `${UPSTREAM}, or { to, via: pass | rewrite, connectTimeoutMs }` },
  )
  .transform((f) => ({
    to: f.to,
    via: 'via' in f && f.via !== undefined ? f.via : ('pass' as const),
    connectTimeoutMs:
      'connectTimeoutMs' in f && f.connectTimeoutMs !== undefined
        ? f.connectTimeoutMs
        : DEFAULT_FORWARD_CONNECT_TIMEOUT_MS,
  }));

// The service fields that configure its worker. A forwarding service runs none: it may carry them with
// their defaults (the YAML form fills them in), any other value is refused.
const WORKER_FIELDS = [
  'throttle',
  'activation',
  'operations',
  'preDispatchHook',
  'contentTypes',
  'maxMessageSize',
  'overlappedRecycle',
  'drainTimeoutMs',
] as const;

const service = z.strictObject(
  {
    path: z.string({ error: 'a path starting with /' }).regex(/^\/\S*$/, { error: 'a path starting with /' }),
    host: z.string({ error: 'a host name' }).min(1, { error: 'a host name' }).optional(),
    throttle: z
      .strictObject({
        maxConcurrentCalls: positive('a positive number of calls').default(
          DEFAULT_THROTTLE.maxConcurrentCalls,
        ),
        maxConcurrentSessions: positive('a positive number of sessions').default(
          DEFAULT_THROTTLE.maxConcurrentSessions,
        ),
      })
      .prefault({}),
    activation: z
      .strictObject({
        mode: z.enum(['on-demand', 'startup'], { error: '"on-demand" or "startup"' }).default('on-demand'),
        delayMs: ms('activation delay').default(0),
      })
      .prefault({}),
    operations: z
      .partialRecord(z.enum(OPERATIONS, { error: `an operation (${OPERATIONS.join(', ')})` }), latency)
      .default({}),
    preDispatchHook: z.strictObject({ latencyMs: ms('hook latency').default(0) }).prefault({}),
    contentTypes: z
      .array(z.string({ error: 'a content type' }), { error: 'a list of content types' })
      .min(1)
      .default([...DEFAULT_CONTENT_TYPES]),
    maxMessageSize: positive('a positive size in bytes').default(65536),
    overlappedRecycle: z.boolean({ error: 'true or false' }).default(true),
    drainTimeoutMs: ms('drain bound').optional(),
    forward: forward.optional(),
  },
  { error: 'a service: { path, ... }' },
);

const schema = z
  .strictObject(
    {
      listen: z
        .strictObject({
          host: z.string({ error: 'an address to listen on' }).default('127.0.0.1'),
          port: z
            .int({ error: 'a port from 0 to 65535' })
            .min(0, { error: 'a port from 0 to 65535' })
            .max(65535, { error: 'a port from 0 to 65535' })
            .default(0),
        })
        .prefault({}),
      sharing: z
        .strictObject({
          listenBacklog: positive('a positive queue length').default(DEFAULT_SHARING.listenBacklog),
          maxPendingConnections: positive('a positive number of connections').default(
            DEFAULT_SHARING.maxPendingConnections,
          ),
          maxPendingAccepts: positive('a positive number of accepts').default(
            DEFAULT_SHARING.maxPendingAccepts,
          ),
          receiveTimeoutMs: positive('a positive number of milliseconds').default(
            DEFAULT_SHARING.receiveTimeoutMs,
          ),
          dispatchTimeoutMs: positive('a positive number of milliseconds').default(
            DEFAULT_SHARING.dispatchTimeoutMs,
          ),
        })
        .prefault({}),
      services: z.array(service, { error: 'a list of services' }).default([]),
      defects: z
        .array(z.enum(DEFECTS, { error: `a defect (${DEFECTS.join(', ')})` }), { error: 'a list of defects' })
        .default([]),
      controlSocket: z.string({ error: 'a path for the control socket' }).min(1).optional(),
      allowRemote: z.boolean({ error: 'true or false' }).optional(),
    },
    { error: 'a host configuration object' },
  )
  .superRefine((h, ctx) => {
    const seen = new Set<string>();
    h.services.forEach((s, i) => {
      const key = `${s.host?.toLowerCase() ?? '+'} ${s.path}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'path'],
          input: s.path,
          message: 'a path no other service registers',
        });
      seen.add(key);
      if (s.forward !== undefined) {
        const bare = service.parse({ path: s.path });
        for (const f of WORKER_FIELDS) {
          if (JSON.stringify(s[f]) === JSON.stringify(bare[f])) continue;
          ctx.addIssue({
            code: 'custom',
            path: ['services', i, f],
            input: s[f],
            message: `no ${f} beside forward (a service that forwards to an upstream runs no worker)`,
          });
        }
      }
      const up = s.forward === undefined ? undefined : parseUpstream(s.forward.to);
      if (up !== undefined && !isLoopbackHost(up.host) && h.allowRemote !== true)
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'forward'],
          input: s.forward!.to,
          message: 'a loopback upstream (127.0.0.0/8, ::1 or localhost) unless allowRemote is true',
        });
    });
  });

// A HostConfig as written, fields left out allowed.
export type HostConfigInput = z.input<typeof schema>;

// Checks a parsed JSON value and fills in defaults; throws an InvalidConfig HostError naming every problem.
export const resolveHostConfig = (value: unknown): HostConfig => {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  throw new HostError(HostErrorCode.InvalidConfig, describeIssues(r.error.issues, 'config').join('\n'));
};
