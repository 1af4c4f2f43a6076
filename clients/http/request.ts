// One request, built once: its method, path, headers and body bytes, and the check its replies get.
// A load sends the same bytes every time (autocannon writes a pre-built buffer), so nothing is built
// per request.

import { randomUUID } from 'node:crypto';
import { operationBody, soapHttpRequest, TEMPURI } from '../../protocol/index.ts';
import { memoised, plainReplyCheck, type ReplyCheck, soapReplyCheck } from './reply-check.ts';
import type { HttpRequestSpec } from './spec.ts';

// The contract a SOAP call names when its spec does not (the interop service's).
export const DEFAULT_CONTRACT = 'IInteropService';

// A request ready to send.
export type PreparedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  check: ReplyCheck;
  // For people: "SOAP 1.1 Echo" or "GET /health".
  label: string;
};

// The result an operation's reply must carry: `expect`, else an Echo's one parameter.
const expectedResult = (soap: NonNullable<HttpRequestSpec['soap']>): string | undefined => {
  if (soap.expect !== undefined) return soap.expect;
  const values = Object.values(soap.params ?? {});
  return soap.operation === 'Echo' && values.length === 1 ? String(values[0]) : undefined;
};

// Builds a checked spec's request (checkRequestSpec first).
export const prepareRequest = (spec: HttpRequestSpec): PreparedRequest => {
  const url = new URL(spec.url);
  const soap = spec.soap;
  if (soap !== undefined) {
    const ns = soap.namespace ?? TEMPURI;
    const action = soap.action ?? `${ns}${soap.contract ?? DEFAULT_CONTRACT}/${soap.operation}`;
    const messageId = soap.version === '1.2' ? (soap.messageId ?? `urn:uuid:${randomUUID()}`) : undefined;
    const m = soapHttpRequest({
      version: soap.version,
      action,
      to: soap.to ?? spec.url,
      messageId,
      body: operationBody(soap.operation, ns, soap.params),
    });
    return {
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      headers: m.headers,
      body: Buffer.from(m.body),
      check: memoised(
        soapReplyCheck({ version: soap.version, relatesTo: messageId, result: expectedResult(soap) }),
      ),
      label: `SOAP ${soap.version} ${soap.operation}`,
    };
  }
  const r = spec.request ?? {};
  const body = Buffer.from(r.body ?? '');
  const method = r.method ?? (body.length > 0 ? 'POST' : 'GET');
  const path = r.path ?? `${url.pathname}${url.search}`;
  return {
    method,
    path,
    headers: { ...r.headers },
    body,
    check: memoised(plainReplyCheck(r.expectBody === undefined ? undefined : Buffer.from(r.expectBody))),
    label: `${method} ${path}`,
  };
};
