// The control channel's requests: one JSON object per line, `command` naming what to do, an optional
// `id` echoed in the response. Validated whole, every problem reported at once.

import * as z from 'zod';
import { OPERATIONS } from '../../protocol/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { describeIssues, ms } from '../validation.ts';

const path = z
  .string({ error: 'a service path starting with / (for example /orders)' })
  .regex(/^\//, { error: 'a service path starting with / (for example /orders)' });
const command = <T extends string, S extends z.core.$ZodLooseShape>(name: T, shape: S) =>
  z.strictObject({ command: z.literal(name), id: z.union([z.string(), z.number()]).optional(), ...shape });

const schema = z.discriminatedUnion(
  'command',
  [
    command('status', {}),
    // Without a path: every service, one after the other.
    command('recycle', {
      path: path.optional(),
      mode: z.enum(['overlapped', 'stop-start'], { error: '"overlapped" or "stop-start"' }).optional(),
    }),
    command('pause', { path }),
    command('resume', { path }),
    command('set-activation-delay', {
      path,
      ms: ms('the activation delay'),
      once: z.boolean({ error: 'true or false' }).optional(),
    }),
    command('set-latency', {
      path,
      operation: z.enum(OPERATIONS, { error: `an operation (${OPERATIONS.join(', ')})` }),
      ms: ms('the added latency'),
    }),
    command('burn', { path, ms: ms('how long the worker burns CPU') }),
    command('fail-activation', {
      path,
      count: z
        .int({ error: 'a number of activations' })
        .nonnegative({ error: 'a number of activations' })
        .optional(),
    }),
    command('direct', { path }),
  ],
  {
    error:
      'a command: status, recycle, pause, resume, set-activation-delay, set-latency, burn, fail-activation or direct',
  },
);

export type ControlRequest = z.output<typeof schema>;

// Validates a parsed request line; throws a BadRequest HostError naming every problem.
export const parseControlRequest = (value: unknown): ControlRequest => {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  throw new HostError(HostErrorCode.BadRequest, describeIssues(r.error.issues, 'request').join('; '));
};
