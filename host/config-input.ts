// A HostConfig as JSON (what `host/main.ts` reads): every field checked, every problem reported at once,
// and what is left out filled in with the defaults of host/config.ts. Times are milliseconds.

import * as z from 'zod';
import { OPERATIONS } from '../protocol/index.ts';
import {
  DEFAULT_CONTENT_TYPES,
  DEFAULT_SHARING,
  DEFAULT_THROTTLE,
  DEFECTS,
  type HostConfig,
} from './config.ts';
import { HostError, HostErrorCode } from './errors.ts';
import { describeIssues, ms } from './validation.ts';

// The environment variable that may carry the configuration (JSON) instead of a file.
export const CONFIG_ENV = 'NETTCP_CHAOS_HOST_CONFIG';

const positive = (what: string) => z.int({ error: what }).positive({ error: what });
const latency = z.strictObject({ latencyMs: ms('added latency') }, { error: '{ latencyMs }' });

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
