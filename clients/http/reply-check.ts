// Judging a reply: its HTTP status, a SOAP fault, and what it carries (an echo must be what was sent).
// A check sees the status and the body as a latin1 string (one character per byte, exactly the bytes).

import { isSoapError, readSoapHttpReply, type SoapVersion } from '../../protocol/index.ts';
import type { HttpFailure } from './failure.ts';

// Judges one reply: undefined when it is what the request expects.
export type ReplyCheck = (status: number, body: string) => HttpFailure | undefined;

const ok2xx = (status: number): boolean => status >= 200 && status < 300;
const clip = (s: string): string => (s.length > 120 ? `${s.slice(0, 117)}...` : s);
const statusFailure = (status: number): HttpFailure => ({
  kind: 'http-status',
  stage: 'call',
  code: String(status),
  message: `HTTP ${status}`,
});

// What a SOAP reply must be: of this version, relating to this MessageID (1.2), carrying this result.
export type SoapExpectation = {
  version: SoapVersion;
  relatesTo?: string | undefined;
  result?: string | undefined;
};

// A SOAP call's check: a fault is a reply-fault whatever the status (WCF sends faults with 500); a body
// that is no envelope is an http-status failure when the status says so, else a protocol one; a reply to
// another message or with another result is corrupt.
export const soapReplyCheck =
  (x: SoapExpectation): ReplyCheck =>
  (status, body) => {
    let reply;
    try {
      reply = readSoapHttpReply(Buffer.from(body, 'latin1'), x.version);
    } catch (e) {
      if (!ok2xx(status)) return statusFailure(status);
      const code = isSoapError(e) ? e.code : 'SOAP_XML';
      return { kind: 'protocol', stage: 'call', code, message: (e as Error).message };
    }
    if (reply.kind === 'fault') {
      return {
        kind: 'reply-fault',
        stage: 'call',
        fault: [reply.code, ...reply.subcodes].join('/'),
        message: reply.reason,
      };
    }
    if (!ok2xx(status)) return statusFailure(status);
    if (x.relatesTo !== undefined && reply.relatesTo !== undefined && reply.relatesTo !== x.relatesTo)
      return {
        kind: 'corrupt',
        stage: 'call',
        message: `the reply relates to ${clip(reply.relatesTo)}, not this request`,
      };
    if (x.result !== undefined && reply.result !== x.result) {
      const got = reply.result === undefined ? 'no single result' : JSON.stringify(clip(reply.result));
      return {
        kind: 'corrupt',
        stage: 'call',
        message: `expected the result ${JSON.stringify(clip(x.result))}, got ${got}`,
      };
    }
    return undefined;
  };

// A plain request's check: a 2xx status, and the expected body byte for byte when one is given.
export const plainReplyCheck =
  (expectBody?: Buffer): ReplyCheck =>
  (status, body) => {
    if (!ok2xx(status)) return statusFailure(status);
    if (expectBody !== undefined && body !== expectBody.toString('latin1')) {
      const got = JSON.stringify(clip(Buffer.from(body, 'latin1').toString('utf8')));
      return {
        kind: 'corrupt',
        stage: 'call',
        message: `expected the body ${JSON.stringify(clip(expectBody.toString()))}, got ${got}`,
      };
    }
    return undefined;
  };

// Remembers the verdicts of up to `max` distinct replies per status: a load sends one request over and
// over, so its replies repeat, and a remembered verdict costs a map lookup where parsing a SOAP reply
// costs tens of microseconds. A check is a pure function of status and body, so this changes no verdict.
export const memoised = (check: ReplyCheck, max = 64): ReplyCheck => {
  const seen = new Map<number, Map<string, HttpFailure | null>>();
  return (status, body) => {
    let bodies = seen.get(status);
    if (bodies === undefined) seen.set(status, (bodies = new Map()));
    const known = bodies.get(body);
    if (known !== undefined) return known ?? undefined;
    const v = check(status, body);
    if (bodies.size < max) bodies.set(body, v ?? null);
    return v;
  };
};
