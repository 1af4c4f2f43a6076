// The proxy's control channel: JSON lines over one loopback connection the proxy opens to the harness.
// The proxy announces itself (ready, with the token it was given); the harness sends requests (add,
// remove, list) with ids; the proxy answers each by id and reports toxics that expired on their own.

import { CodedError } from '../../protocol/index.ts';
import { FaultErrorCode, type FaultErrorCodeValue } from '../errors.ts';
import * as z from 'zod';
import { ATTRIBUTE_MAX, attributeIssues, STREAMS, TOXIC_TYPES } from './toxic-spec.ts';

// Thrown for a control line that is not what the protocol allows.
export class ControlProtocolError extends CodedError<FaultErrorCodeValue> {
  override name = 'ControlProtocolError';
  constructor(message: string, options?: ErrorOptions) {
    super(FaultErrorCode.ProxyControl, message, options);
  }
}

const id = z.int().nonnegative();

const toxicSpec = z
  .strictObject({
    type: z.enum(TOXIC_TYPES),
    stream: z.enum(STREAMS),
    toxicity: z.number().min(0).max(1),
    attributes: z.record(z.string(), z.number()),
    seed: z.int(),
    expiresInMs: z.int().positive().max(ATTRIBUTE_MAX).optional(),
  })
  .superRefine((t, ctx) => {
    for (const i of attributeIssues(t.type, t.attributes)) {
      ctx.addIssue({ code: 'custom', path: ['attributes', i.key], message: `expected ${i.message}` });
    }
  });

const request = z.discriminatedUnion('op', [
  z.strictObject({ id, op: z.literal('add'), toxic: toxicSpec }),
  z.strictObject({ id, op: z.literal('remove'), name: z.string().min(1) }),
  z.strictObject({ id, op: z.literal('list') }),
]);

// A request from the harness.
export type ControlRequest = z.output<typeof request>;

const stats = z.strictObject({
  connections: z.number(),
  spared: z.number(),
  bytes: z.number(),
  dropped: z.number(),
  chunks: z.number(),
  maxDelayMs: z.number(),
  closes: z.number(),
  resets: z.number(),
  delayedCloses: z.number(),
});

const removed = z.strictObject({ name: z.string(), stats, expired: z.boolean() });

// What each request's answer holds.
export const RESULTS = {
  add: z.strictObject({ name: z.string(), applied: z.int().nonnegative() }),
  remove: removed,
  list: z.strictObject({
    connections: z.int().nonnegative(),
    toxics: z.array(
      z.strictObject({
        name: z.string(),
        type: z.enum(TOXIC_TYPES),
        stream: z.enum(STREAMS),
        toxicity: z.number(),
        attributes: z.record(z.string(), z.number()),
        stats,
      }),
    ),
  }),
} as const;

const message = z.union([
  z.strictObject({
    event: z.literal('ready'),
    token: z.string(),
    port: z.int().min(1).max(65535),
    pid: z.int(),
  }),
  z.strictObject({ event: z.literal('expired'), ...removed.shape }),
  z.strictObject({ id, ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id, ok: z.literal(false), error: z.string() }),
]);

// A line from the proxy.
export type ProxyMessage = z.output<typeof message>;

const issuesText = (e: z.ZodError): string =>
  e.issues.map((i) => `${i.path.length === 0 ? '(line)' : i.path.join('.')}: ${i.message}`).join('; ');

const json = (line: string): unknown => {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new ControlProtocolError(`expected a JSON line, got ${JSON.stringify(line.slice(0, 80))}`);
  }
};

// Reads a request line; a bad line throws ControlProtocolError naming what is wrong, and `idOf` then
// still finds the id to answer to, when the line had one.
export const parseRequest = (line: string): ControlRequest => {
  const r = request.safeParse(json(line));
  if (!r.success) throw new ControlProtocolError(`bad request: ${issuesText(r.error)}`);
  return r.data;
};

// The id of a request line, if it has a usable one.
export const idOf = (line: string): number | undefined => {
  try {
    const v = JSON.parse(line) as unknown;
    const r = id.safeParse((v as { id?: unknown } | null)?.id);
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
};

// Reads a line from the proxy.
export const parseMessage = (line: string): ProxyMessage => {
  const r = message.safeParse(json(line));
  if (!r.success) throw new ControlProtocolError(`bad message from the proxy: ${issuesText(r.error)}`);
  return r.data;
};

// Reads a request's answer as the result of `op`.
export const parseResult = <Op extends keyof typeof RESULTS>(
  op: Op,
  result: unknown,
): z.output<(typeof RESULTS)[Op]> => {
  const r = RESULTS[op].safeParse(result);
  if (!r.success) throw new ControlProtocolError(`bad ${op} answer from the proxy: ${issuesText(r.error)}`);
  return r.data as z.output<(typeof RESULTS)[Op]>;
};

// One message as a line.
export const line = (m: unknown): string => `${JSON.stringify(m)}\n`;
