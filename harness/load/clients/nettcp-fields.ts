// The fields of a net.tcp load (client: nettcp, the default): where it goes (a via) and the scripted
// session each start opens.

import * as z from 'zod';
import {
  bool,
  duration,
  nonNegativeInt,
  oneOf,
  positiveDuration,
  record,
  text,
} from '../../../model/fields.ts';
import { OPERATIONS, OPS_CONTENT_TYPE } from '../../../protocol/index.ts';
import { soapCallFields } from './soap-fields.ts';

// A via: a path resolved against the target (/orders) or a whole net.tcp URL.
export const via = z
  .string({ error: 'a path such as /orders, or a net.tcp:// URL' })
  .regex(/^(\/\S*|net\.tcp:\/\/\S+)$/, { error: 'a path such as /orders, or a net.tcp:// URL' })
  .meta({ description: 'a path such as /orders, or a net.tcp:// URL' });

// A SOAP call to a WCF service (the reference host's workers are one), instead of the compact op framing.
const soapCall = record(
  {
    ...soapCallFields('session.payload'),
    action: text('the SOAP action, when not the default').optional(),
    expect: z
      .string({ error: 'the result every reply must carry (text; {payload} allowed)' })
      .meta({
        description:
          'the result every reply must carry ({payload} allowed); by default an Echo must return its text param, other operations are not compared',
      })
      .optional(),
    encoding: oneOf(['binary-session', 'soap12']).default('binary-session'),
    to: text(
      'the To address (default: the via; a service behind a forwarding route wants its own address)',
    ).optional(),
  },
  'a SOAP call: { operation, params, contract, namespace, action, expect, encoding, to }',
);

export const session = record(
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
    pooled: bool(
      "whether a cleanly ended session's connection carries the load's next session, as the .NET client's connection pool does (true or false)",
    ).default(false),
  },
  'a session: { calls, payload, operation, arg, encoding, openTimeout, callTimeout, think, soap, pooled }',
).prefault({});

// What a net.tcp load adds to the fields every load has (load-fields.ts) and its model's.
export const nettcpFields = {
  client: z
    .literal('nettcp', { error: 'nettcp' })
    .default('nettcp')
    .meta({ description: 'the client: nettcp (the default) opens net.tcp sessions' }),
  via,
  session,
};

// A net.tcp load's session, with defaults filled in.
export type SessionSpec = z.output<typeof session>;
