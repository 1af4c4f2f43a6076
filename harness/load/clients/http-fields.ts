// The fields of an HTTP load (client: http): where it goes (a url, absolute or relative to the target's
// HTTP address), what it sends (a SOAP call as BasicHttpBinding or WSHttpBinding sends it, or a plain
// request), and its connections.

import * as z from 'zod';
import { nonNegativeInt, positiveInt, record, text, urlPath } from '../../../model/fields.ts';
import { parseDuration } from '../../../model/duration.ts';
import type { SoapVersion } from '../../../protocol/index.ts';
import { soapCallFields } from './soap-fields.ts';

const URL_WHAT = "a path such as /basic (on the target's HTTP port), or an http:// URL";

// An HTTP address: a path resolved against the target's HTTP address, or a whole http:// URL.
export const httpUrl = z
  .string({ error: URL_WHAT })
  .regex(/^(\/\S*|http:\/\/\S+)$/, { error: URL_WHAT })
  .refine((s) => s.startsWith('/') || URL.canParse(s), { error: URL_WHAT })
  .meta({ description: URL_WHAT });

const VERSION_WHAT = 'a SOAP version: "1.1" (BasicHttpBinding) or "1.2" (WSHttpBinding without security)';
// YAML reads an unquoted 1.1 as a number: both spellings are the version.
const soapVersion = z
  .union([z.literal('1.1'), z.literal('1.2'), z.literal(1.1), z.literal(1.2)], { error: VERSION_WHAT })
  .transform((v): SoapVersion => (v === '1.1' || v === 1.1 ? '1.1' : '1.2'))
  .meta({ description: VERSION_WHAT });

// eslint-disable-next-line no-control-regex -- control characters cannot travel in an HTTP header
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const headerText = (what: string) =>
  text(what).regex(NO_CONTROL, { error: `${what}, without control characters` });

// A SOAP call over HTTP: the net.tcp session's soap block, with the SOAP version instead of an encoding.
const soapCall = record(
  {
    version: soapVersion.prefault('1.1'),
    ...soapCallFields('payload'),
    action: headerText('the SOAP action, when not the default').optional(),
    to: text('the To header of SOAP 1.2 (default: the url)').optional(),
    messageId: text(
      'the MessageID every SOAP 1.2 request carries (default: one urn:uuid per load)',
    ).optional(),
    expect: z
      .string({ error: 'the result a reply must carry (text)' })
      .meta({ description: "the result a reply must carry (default for Echo: its one parameter's value)" })
      .optional(),
  },
  'a SOAP call: { version, operation, params, contract, namespace, action, to, messageId, expect }',
);

// A plain request.
const plainRequest = record(
  {
    method: z
      .string({ error: 'an HTTP method such as GET or POST' })
      .regex(/^[A-Z]+$/, { error: 'an HTTP method such as GET or POST' })
      .meta({ description: 'an HTTP method such as GET or POST (default: POST with a body, else GET)' })
      .optional(),
    path: urlPath("a path starting with / and without spaces (default: the url's)").optional(),
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'a header name (letters, digits, -)' }),
        z
          .string({ error: 'a header value (text)' })
          .regex(NO_CONTROL, { error: 'a header value without control characters' }),
        { error: 'headers by name: { content-type: text/plain }' },
      )
      .meta({ description: 'headers by name: { content-type: text/plain }' })
      .default({}),
    body: z
      .string({ error: 'a body (text)' })
      .meta({ description: 'the body (text); {payload} stands for payload seeded characters' })
      .optional(),
    expectBody: z
      .string({ error: 'the body a reply must carry (text)' })
      .meta({ description: 'the body a reply must carry, byte for byte' })
      .optional(),
  },
  'a plain request: { method, path, headers, body, expectBody }',
);

const TIMEOUT_WHAT =
  "a duration of at least 1s (how long a request may wait for its response; autocannon's shortest)";

// What an HTTP load adds to the fields every load has (load-fields.ts) and its model's.
export const httpFields = {
  client: z
    .literal('http', { error: 'http' })
    .meta({ description: 'the client: http sends HTTP requests (autocannon)' }),
  url: httpUrl.optional(),
  soap: soapCall.optional(),
  request: plainRequest.optional(),
  payload: nonNegativeInt('the length of {payload} in soap params and a request body').default(64),
  connections: positiveInt(
    "keep-alive connections of an open model's pool (default 16); a closed model's are its sessions",
  ).optional(),
  pipelining: positiveInt('requests in flight on a connection at most').default(1),
  timeout: z
    .string({ error: TIMEOUT_WHAT })
    .regex(/^\d+(?:\.\d+)?(?:ms|s|m|h)$/, { error: TIMEOUT_WHAT })
    .transform((s) => parseDuration(s)!)
    .refine((ms) => ms >= 1000, { error: TIMEOUT_WHAT })
    .meta({ description: TIMEOUT_WHAT })
    .prefault('5s'),
};
