// The per-session SOAP codec a load client uses: encodes requests to operations by action, decodes replies
// and faults, and correlates them by MessageID/RelatesTo. One codec per net.tcp session: the binary
// session encoding keeps string tables per connection and direction.

import { randomUUID } from 'node:crypto';
import { SessionReader, SessionWriter, textOf, childElements, type XmlElement } from '../nbfx/index.ts';
import { decodeSessionMessage, encodeSessionMessage } from './binary-session.ts';
import { operationBody, readEnvelope, requestEnvelope, type SoapFault } from './envelope.ts';
import { isSoapError, SoapError, SoapErrorCode } from './errors.ts';
import { TEMPURI } from './namespaces.ts';
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
      const action = actionOf(call);
      const messageId = call.messageId ?? nextId();
      const body =
        call.body ??
        (call.operation === undefined ? undefined : operationBody(call.operation, ns, call.params));
      const env = requestEnvelope({ action, to: options.to, messageId, body });
      let bytes: Uint8Array;
      if (binary) {
        // WCF sends the action and the To address as session strings: they repeat in every message.
        writer.lookup(action, true);
        writer.lookup(options.to, true);
        bytes = encodeSessionMessage(env, writer);
      } else {
        bytes = treeToXml(env);
      }
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
