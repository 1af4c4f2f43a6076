// What a scripted session sends and how it reads the answers: the compact op framing the reference
// host's workers also answer, or SOAP calls to a WCF service (a fresh codec per session: the binary
// session encoding keeps a string table per connection). A load's sessions all send the same call, so
// its requests are encoded once and copied with a fresh MessageID (protocol/soap/repeat.ts).

import type { Correlator } from '../../clients/nettcp/index.ts';
import {
  createSoapCodec,
  decodeOpReply,
  encodeOpRequest,
  opMessageId,
  RepeatedRequests,
  type SoapCall,
  type SoapCodecOptions,
} from '../../protocol/index.ts';
import { bytesDifference, type Difference, textDifference } from '../../model/difference.ts';
import type { OpFailure } from '../../model/history.ts';
import type { SessionSpec } from './clients/nettcp-fields.ts';

export type { SessionSpec } from './clients/nettcp-fields.ts';

// One session's messages: the encoding to open with, how replies find calls, the next request, and
// whether a reply says the operation failed (a fault reply; the session itself is fine).
export type SessionMessages = {
  encoding: number | string;
  correlate: Correlator;
  request: () => Uint8Array;
  replyFailure: (reply: Uint8Array) => OpFailure | undefined;
};

// Replies carry their request's id.
const opsCorrelator: Correlator = {
  requestKey: (p) => opMessageId(p)!,
  replyKey: (p) => opMessageId(p),
};

let nextId = 1;
const requestId = (): number => {
  nextId = nextId >= 0xffffffff ? 1 : nextId + 1;
  return nextId;
};

// A reply with the wrong content: a `corrupt` failure saying where it first differs.
const corrupt = (d: Difference | undefined): OpFailure | undefined =>
  d === undefined
    ? undefined
    : {
        kind: 'corrupt',
        stage: 'call',
        message: `the reply differs from what was sent at offset ${d.offset}: expected ${d.expected}, got ${d.expected === d.got ? '(same)' : d.got}`,
        diff: d,
      };

// In a SOAP parameter's value, stands for the session's payload as text.
export const PAYLOAD_PLACEHOLDER = '{payload}';

const TEXT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Seeded payload bytes as text of as many characters (and UTF-8 bytes), each byte one of 64 letters,
// digits, dashes and underscores: what a SOAP Echo of that size carries.
export const payloadText = (payload: Uint8Array): string => {
  let s = '';
  for (const b of payload) s += TEXT_ALPHABET[b & 63];
  return s;
};

// The messages of a load's sessions, to the endpoint at `via`: each call gives one session's. What does
// not change between sessions is built here, once per load; a SOAP session gets its own codec.
export const sessionMessages = (spec: SessionSpec, payload: Buffer, via: string): (() => SessionMessages) => {
  const soap = spec.soap;
  if (soap === undefined) {
    // Stateless: every session shares them.
    const ops: SessionMessages = {
      encoding: spec.encoding,
      correlate: opsCorrelator,
      request: () => encodeOpRequest({ id: requestId(), op: spec.operation, arg: spec.arg, payload }),
      replyFailure: (reply) => {
        const r = decodeOpReply(reply);
        if (r === undefined) return undefined;
        if (!r.ok) return { kind: 'reply-fault', stage: 'call', message: r.reason };
        // Every operation's reply carries the request's payload back: bytes, compared as bytes.
        return corrupt(bytesDifference(payload, r.payload));
      },
    };
    return () => ops;
  }
  const options: SoapCodecOptions = {
    encoding: soap.encoding,
    to: soap.to ?? via,
    ...(soap.namespace === undefined ? {} : { namespace: soap.namespace }),
    ...(soap.contract === undefined ? {} : { contract: soap.contract }),
    repeat: new RepeatedRequests(),
  };
  const text = payloadText(payload);
  const call: SoapCall = {
    operation: soap.operation,
    params: Object.fromEntries(
      Object.entries(soap.params).map(([k, v]) => [
        k,
        typeof v === 'string' ? v.replaceAll(PAYLOAD_PLACEHOLDER, text) : v,
      ]),
    ),
    ...(soap.action === undefined ? {} : { action: soap.action }),
  };
  // What the reply's result must be: `expect` when the suite says, the text an Echo sent otherwise.
  const expected =
    soap.expect !== undefined
      ? soap.expect.replaceAll(PAYLOAD_PLACEHOLDER, text)
      : /^echo$/i.test(soap.operation) && typeof call.params?.['text'] === 'string'
        ? call.params['text']
        : undefined;
  return () => {
    const codec = createSoapCodec(options);
    return {
      encoding: codec.knownEncoding,
      correlate: codec.correlator,
      request: () => codec.encodeRequest(call),
      replyFailure: (reply) => {
        try {
          const r = codec.decodeReply(reply);
          if (r.kind === 'fault')
            return { kind: 'reply-fault', stage: 'call', fault: r.code, message: r.reason };
          return expected === undefined ? undefined : corrupt(textDifference(expected, r.result ?? ''));
        } catch (e) {
          return {
            kind: 'protocol',
            stage: 'call',
            code: (e as { code?: string }).code,
            message: (e as Error).message,
          };
        }
      },
    };
  };
};
