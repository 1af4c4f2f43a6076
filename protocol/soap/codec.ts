// The per-session SOAP codec a load client uses: encodes requests to operations by action, decodes replies
// and faults, and correlates them by MessageID/RelatesTo. One codec per net.tcp session: the binary
// session encoding keeps string tables per connection and direction.

import { randomUUID } from 'node:crypto';
import { SessionReader, SessionWriter, textOf, childElements, type XmlElement } from '../nbfx/index.ts';
import { decodeSessionMessage, encodeSessionMessage } from './binary-session.ts';
import { operationBody, readEnvelope, requestEnvelope, type SoapFault } from './envelope.ts';
import { isSoapError, SoapError, SoapErrorCode } from './errors.ts';
import { TEMPURI } from './namespaces.ts';
import {
  fillTemplate,
  MARKER_GUID,
  type RepeatedRequests,
  type RepeatStage,
  type RequestTemplate,
  templateOf,
} from './repeat.ts';
import { treeToXml, xmlToTree } from './text.ts';

// The SOAP encodings a codec speaks, with their MC-NMF known encoding bytes.
export const SOAP_ENCODINGS = { 'binary-session': 0x08, soap12: 0x03 } as const;
// The name of a SOAP encoding a codec speaks.
export type SoapEncodingName = keyof typeof SOAP_ENCODINGS;

// What a codec needs to know about the endpoint it talks to.
export type SoapCodecOptions = {
  encoding: SoapEncodingName;
  // The To header: the endpoint address (for net.tcp, normally the via).
  to: string;
  // The contract's namespace, for operation bodies and default actions. Default: http://tempuri.org/.
  namespace?: string;
  // The contract's name, for default actions (`{namespace}{contract}/{operation}`, as WCF names them).
  contract?: string;
  // Makes MessageIDs. Default: urn:uuid: and a random UUID, as WCF's UniqueId.
  messageId?: () => string;
  // Deepest element nesting accepted in a reply.
  maxDepth?: number;
  // Binary session: bytes of strings we may add to our session (WCF's MaxSessionSize, 2048 by default).
  maxSessionBytes?: number;
  // Binary session: bytes of strings the peer may add to its session before we refuse its messages.
  maxPeerSessionBytes?: number;
  // Templates shared by the codecs of sessions that send the same call objects (a load's): a session whose
  // messages are all one call then copies its bytes with a fresh MessageID instead of encoding it
  // (repeat.ts). The codecs sharing it must have the same options.
  repeat?: RepeatedRequests;
};

// A request: an operation and its parameters (the body WCF's DataContractSerializer expects), or a body
// element of your own. `action` defaults to `{namespace}{contract}/{operation}`.
export type SoapCall = {
  action?: string;
  operation?: string;
  params?: Readonly<Record<string, string | number | boolean>>;
  body?: XmlElement;
  messageId?: string;
};

// A decoded reply: a result, or a SOAP fault.
export type SoapReply =
  | {
      kind: 'reply';
      action: string | undefined;
      relatesTo: string | undefined;
      // The Body's first element (the operation's response wrapper), if any.
      body: XmlElement | undefined;
      // The text of the wrapper's single result element (<OpResponse><OpResult>text</OpResult>), if any.
      result: string | undefined;
    }
  | ({ kind: 'fault'; action: string | undefined; relatesTo: string | undefined } & SoapFault);

// Matches replies to calls by MessageID/RelatesTo; fits clients/nettcp's Correlator.
export type SoapCorrelator = {
  requestKey(payload: Uint8Array): string;
  replyKey(payload: Uint8Array): string | undefined;
};

// The codec of one net.tcp session.
export type SoapCodec = {
  readonly encoding: SoapEncodingName;
  // The MC-NMF known encoding byte to open the session with.
  readonly knownEncoding: number;
  // Encodes a request; throws SoapError (SOAP_UNENCODABLE) for what the encoding cannot carry.
  encodeRequest(call: SoapCall): Uint8Array;
  // Decodes a reply; throws SoapError for anything but a SOAP 1.2 reply or fault.
  decodeReply(bytes: Uint8Array): SoapReply;
  // The MessageID of a request this codec encoded.
  messageIdOf(request: Uint8Array): string | undefined;
  // Pass as openSession's `correlate`. With the binary session encoding this is required: it decodes every
  // message the server sends, in order, which keeps the session's string table whole even for replies
  // no call waits for any more; decodeReply then returns the decoded result without decoding again.
  readonly correlator: SoapCorrelator;
  // Replies the correlator could not decode (they match no call; their calls time out).
  readonly undecodable: number;
  // The last such decoding error.
  readonly lastError: SoapError | undefined;
};

// The text of a response wrapper's single result element (<OpResponse><OpResult>text</OpResult>), if any.
export const resultOf = (wrapper: XmlElement | undefined): string | undefined => {
  if (wrapper === undefined) return undefined;
  const kids = childElements(wrapper);
  return kids.length === 1 ? textOf(kids[0]!) : undefined;
};

// A SOAP 1.2 envelope read as a reply or a fault.
export const toReply = (root: XmlElement): SoapReply => {
  const env = readEnvelope(root);
  if (env.fault !== undefined) {
    return { kind: 'fault', action: env.action, relatesTo: env.relatesTo, ...env.fault };
  }
  const body = childElements(env.body)[0];
  return { kind: 'reply', action: env.action, relatesTo: env.relatesTo, body, result: resultOf(body) };
};

// Creates the codec for one session.
export const createSoapCodec = (options: SoapCodecOptions): SoapCodec => {
  const knownEncoding = SOAP_ENCODINGS[options.encoding];
  if (knownEncoding === undefined) {
    throw new SoapError(
      SoapErrorCode.Unencodable,
      `unknown SOAP encoding ${JSON.stringify(options.encoding)}`,
    );
  }
  const ns = options.namespace ?? TEMPURI;
  const nextId = options.messageId ?? (() => `urn:uuid:${randomUUID()}`);
  const binary = options.encoding === 'binary-session';
  const writer = new SessionWriter(options.maxSessionBytes);
  const reader = new SessionReader(options.maxPeerSessionBytes);
  const sent = new WeakMap<Uint8Array, string>();
  const decoded = new WeakMap<Uint8Array, SoapReply | SoapError>();
  let undecodable = 0;
  let lastError: SoapError | undefined;
  let unknownKeys = 0;

  const actionOf = (call: SoapCall): string => {
    if (call.action !== undefined) return call.action;
    if (call.operation !== undefined && options.contract !== undefined)
      return `${ns}${options.contract}/${call.operation}`;
    throw new SoapError(
      SoapErrorCode.Unencodable,
      'a call needs an action, or an operation and the codec a contract',
    );
  };

  // Encodes a request with this MessageID, adding its names to `w`'s session.
  const encodeWith = (call: SoapCall, messageId: string, w: SessionWriter): Uint8Array => {
    const action = actionOf(call);
    const body =
      call.body ??
      (call.operation === undefined ? undefined : operationBody(call.operation, ns, call.params));
    const env = requestEnvelope({ action, to: options.to, messageId, body });
    if (!binary) return treeToXml(env);
    // WCF sends the action and the To address as session strings: they repeat in every message.
    w.lookup(action, true);
    w.lookup(options.to, true);
    return encodeSessionMessage(env, w);
  };

  // The template of a call at a stage, made on a writer of its own in the state that stage starts from
  // (the codec's own writer is not touched); null when the call does not repeat.
  const makeTemplate = (call: SoapCall, stage: RepeatStage): RequestTemplate | null => {
    const scratch = new SessionWriter(options.maxSessionBytes);
    const marker = `urn:uuid:${MARKER_GUID}`;
    if (stage === 'next') encodeWith(call, marker, scratch);
    const t = templateOf(encodeWith(call, marker, scratch), binary, binary ? scratch.lastTable : []);
    // A later message that still adds strings changes the session each time: it does not repeat.
    return t === undefined || (stage === 'next' && t.strings.length > 0) ? null : t;
  };

  // The one call this codec has encoded so far: undefined before any, null once there were others.
  let only: SoapCall | null | undefined;

  const decodeNow = (bytes: Uint8Array): SoapReply => {
    const root = binary
      ? decodeSessionMessage(bytes, reader, options.maxDepth)
      : xmlToTree(bytes, options.maxDepth);
    return toReply(root);
  };

  const codec: SoapCodec = {
    encoding: options.encoding,
    knownEncoding,
    encodeRequest(call) {
      const repeat = options.repeat;
      const stage: RepeatStage | undefined =
        only === undefined ? 'first' : only === call ? 'next' : undefined;
      only = only === undefined || only === call ? call : null;
      if (repeat !== undefined && stage !== undefined && call.messageId === undefined) {
        let t = repeat.get(call, stage);
        if (t === undefined) repeat.set(call, stage, (t = makeTemplate(call, stage)));
        if (t !== null) {
          const { bytes, messageId } = fillTemplate(t);
          if (t.strings.length > 0) {
            // The session now holds what the message's StringTable adds, as if it had been encoded here.
            for (const str of t.strings) writer.lookup(str, true);
            writer.markSent();
          }
          sent.set(bytes, messageId);
          return bytes;
        }
      }
      const messageId = call.messageId ?? nextId();
      const bytes = encodeWith(call, messageId, writer);
      sent.set(bytes, messageId);
      return bytes;
    },
    decodeReply(bytes) {
      const cached = decoded.get(bytes);
      if (cached !== undefined) {
        decoded.delete(bytes);
        if (cached instanceof SoapError) throw cached;
        return cached;
      }
      return decodeNow(bytes);
    },
    messageIdOf: (request) => sent.get(request),
    correlator: {
      // Requests from encodeRequest are known by identity; anything else gets a key no reply matches.
      requestKey: (payload) => sent.get(payload) ?? `unknown-request-${++unknownKeys}`,
      replyKey(payload) {
        try {
          const r = decodeNow(payload);
          decoded.set(payload, r);
          return r.relatesTo;
        } catch (e) {
          // The session client calls this from its socket handler: nothing may escape.
          const err = isSoapError(e) ? e : new SoapError(SoapErrorCode.Binary, String(e), e);
          decoded.set(payload, err);
          undecodable++;
          lastError = err;
          return undefined;
        }
      },
    },
    get undecodable() {
      return undecodable;
    },
    get lastError() {
      return lastError;
    },
  };
  return codec;
};
