// The service side of a SOAP session, for stand-in services: reads requests (action, MessageID, ReplyTo,
// To, the operation's parameters) and writes replies and faults the way a WCF service does. With the
// binary session encoding each direction keeps its own string table: the client's strings are read into
// one, ours are written from the other, so one server codec belongs to one net.tcp session.

import {
  child,
  childElements,
  el,
  SessionReader,
  SessionWriter,
  textOf,
  XML_NAMESPACE,
  type XmlElement,
} from '../nbfx/index.ts';
import { decodeSessionMessage, encodeSessionMessage } from './binary-session.ts';
import { SOAP_ENCODINGS, type SoapEncodingName } from './codec.ts';
import { envelope, mustUnderstand, readEnvelope } from './envelope.ts';
import { SoapError, SoapErrorCode } from './errors.ts';
import { SOAP12, WSA10, WSA_ANONYMOUS } from './namespaces.ts';
import { treeToXml, xmlToTree } from './text.ts';

// The action of a fault WCF's dispatcher sends for a FaultException (a declared, application fault).
export const WCF_FAULT_ACTION =
  'http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher/fault';
// The action of a WS-Addressing fault (ActionNotSupported, DestinationUnreachable).
export const WSA10_FAULT_ACTION = 'http://www.w3.org/2005/08/addressing/fault';

// A request as a service reads it.
export type SoapRequest = {
  action: string | undefined;
  messageId: string | undefined;
  // The To header: the address the client meant (WCF's address filter compares it with the endpoint's).
  to: string | undefined;
  // Where the reply goes; anonymous (the same connection) when absent.
  replyTo: string;
  // The Body's first element, the operation wrapper: its local name, and its children's text by name.
  body: XmlElement | undefined;
  params: Record<string, string>;
};

// A reply: its action, the request it answers, the Body's element, and headers of one's own after the
// Action (WCF writes ActivityId there when tracing is on).
export type SoapReplyParts = {
  action: string;
  relatesTo?: string | undefined;
  // The To header; WCF answers an anonymous ReplyTo with To anonymous.
  to?: string;
  headers?: XmlElement[];
  body?: XmlElement;
};

// A SOAP 1.2 fault: the code (Sender, Receiver, ...), subcodes outermost first as {name, ns}, the reason.
export type SoapFaultParts = {
  relatesTo?: string | undefined;
  to?: string;
  code: 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch' | 'DataEncodingUnknown';
  subcodes?: { name: string; ns: string }[];
  reason: string;
  // Default: the dispatcher's fault action (WCF_FAULT_ACTION).
  action?: string;
  detail?: XmlElement;
};

// The server codec of one session.
export type SoapServerCodec = {
  readonly encoding: SoapEncodingName;
  readonly knownEncoding: number;
  // Decodes the next message from the client; every one must pass through, in order (binary session).
  decodeRequest(bytes: Uint8Array): SoapRequest;
  encodeReply(parts: SoapReplyParts): Uint8Array;
  encodeFault(parts: SoapFaultParts): Uint8Array;
};

export type SoapServerOptions = {
  encoding: SoapEncodingName;
  maxDepth?: number;
  // Bytes of strings we may add to our table (WCF's MaxSessionSize, 2048 by default).
  maxSessionBytes?: number;
  // Bytes of strings the client may add to its table.
  maxPeerSessionBytes?: number;
};

// The namespace of the faults WCF's dispatcher raises itself (DeserializationFailed, InternalServiceFault).
export const WCF_DISPATCHER_NS =
  'http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher';

// The fault WCF's dispatcher answers a message whose action no operation of the endpoint's contract takes
// (a ContractFilter mismatch): Sender, subcode a:ActionNotSupported; the session stays open.
export const actionNotSupportedFault = (
  action: string | undefined,
  relatesTo: string | undefined,
): SoapFaultParts => ({
  relatesTo,
  action: WSA10_FAULT_ACTION,
  code: 'Sender',
  subcodes: [{ name: 'ActionNotSupported', ns: WSA10 }],
  reason: `The message with Action '${action ?? ''}' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher. This may be because of either a contract mismatch (mismatched Actions between sender and receiver) or a binding/security mismatch between the sender and the receiver.  Check that sender and receiver have the same contract and the same binding (including security requirements, e.g. Message, Transport, None).`,
});

// The fault WCF's address filter answers a message whose To is not the endpoint's address (an
// AddressFilter mismatch): Sender, subcode a:DestinationUnreachable; the session stays open.
export const destinationUnreachableFault = (
  to: string | undefined,
  relatesTo: string | undefined,
): SoapFaultParts => ({
  relatesTo,
  action: WSA10_FAULT_ACTION,
  code: 'Sender',
  subcodes: [{ name: 'DestinationUnreachable', ns: WSA10 }],
  reason: `The message with To '${to ?? ''}' cannot be processed at the receiver, due to an AddressFilter mismatch at the EndpointDispatcher.  Check that the sender and receiver's EndpointAddresses agree.`,
});

// The fault WCF's dispatcher answers a parameter its serializer cannot read (text where an int belongs):
// Sender, subcode DeserializationFailed in the dispatcher's namespace; the session stays open.
export const deserializationFailedFault = (
  ns: string,
  param: string,
  detail: string,
  relatesTo: string | undefined,
): SoapFaultParts => ({
  relatesTo,
  code: 'Sender',
  subcodes: [{ name: 'DeserializationFailed', ns: WCF_DISPATCHER_NS }],
  reason: `The formatter threw an exception while trying to deserialize the message: There was an error while trying to deserialize parameter ${ns}:${param}. The InnerException message was '${detail}'.  Please see InnerException for more details.`,
});

// Headers of a reply, in WCF's order: Action, headers of one's own, RelatesTo, To.
const replyHeaders = (
  action: string,
  relatesTo: string | undefined,
  to: string,
  extra: XmlElement[] = [],
): XmlElement[] => [
  el('a:Action', WSA10, [action], { attributes: mustUnderstand }),
  ...extra,
  ...(relatesTo === undefined ? [] : [el('a:RelatesTo', WSA10, [relatesTo])]),
  el('a:To', WSA10, [to], { attributes: mustUnderstand }),
];

// A QName as fault code text: the envelope's prefixes for its namespaces, else one declared on the Value.
const codeValue = (name: string, ns: string): XmlElement => {
  if (ns === SOAP12) return el('s:Value', SOAP12, [`s:${name}`]);
  if (ns === WSA10) return el('s:Value', SOAP12, [`a:${name}`]);
  return el('s:Value', SOAP12, [`c:${name}`], { declarations: [{ prefix: 'c', uri: ns }] });
};

const faultBody = (f: SoapFaultParts): XmlElement => {
  let code = el('s:Code', SOAP12, [codeValue(f.code, SOAP12)]);
  // Subcodes nest: Code/Subcode/Subcode...; built innermost first.
  let nested: XmlElement | undefined;
  for (const s of [...(f.subcodes ?? [])].reverse()) {
    nested = el('s:Subcode', SOAP12, [codeValue(s.name, s.ns), ...(nested === undefined ? [] : [nested])]);
  }
  if (nested !== undefined) code = el('s:Code', SOAP12, [codeValue(f.code, SOAP12), nested]);
  const lang = [{ prefix: 'xml', name: 'lang', ns: XML_NAMESPACE, value: 'en-US' }];
  return el('s:Fault', SOAP12, [
    code,
    el('s:Reason', SOAP12, [el('s:Text', SOAP12, [f.reason], { attributes: lang })]),
    ...(f.detail === undefined ? [] : [el('s:Detail', SOAP12, [f.detail])]),
  ]);
};

const readRequest = (root: XmlElement): SoapRequest => {
  const env = readEnvelope(root);
  const header = child(root, SOAP12, 'Header');
  const replyTo = header === undefined ? undefined : child(header, WSA10, 'ReplyTo');
  const address = replyTo === undefined ? undefined : child(replyTo, WSA10, 'Address');
  const body = childElements(env.body)[0];
  const params: Record<string, string> = {};
  for (const p of body === undefined ? [] : childElements(body)) params[p.name] = textOf(p);
  return {
    action: env.action,
    messageId: env.messageId,
    to: env.to,
    replyTo: address === undefined ? WSA_ANONYMOUS : textOf(address).trim(),
    body,
    params,
  };
};

// Creates the server codec for one session.
export const createSoapServerCodec = (options: SoapServerOptions): SoapServerCodec => {
  const knownEncoding = SOAP_ENCODINGS[options.encoding];
  if (knownEncoding === undefined) {
    throw new SoapError(
      SoapErrorCode.Unencodable,
      `unknown SOAP encoding ${JSON.stringify(options.encoding)}`,
    );
  }
  const binary = options.encoding === 'binary-session';
  const reader = new SessionReader(options.maxPeerSessionBytes);
  const writer = new SessionWriter(options.maxSessionBytes);

  const encode = (env: XmlElement, action: string): Uint8Array => {
    if (!binary) return treeToXml(env);
    // Like WCF's writer, the action goes into our session first: it repeats in every reply.
    writer.lookup(action, true);
    return encodeSessionMessage(env, writer);
  };

  return {
    encoding: options.encoding,
    knownEncoding,
    decodeRequest: (bytes) =>
      readRequest(
        binary ? decodeSessionMessage(bytes, reader, options.maxDepth) : xmlToTree(bytes, options.maxDepth),
      ),
    encodeReply: (p) =>
      encode(
        envelope(
          replyHeaders(p.action, p.relatesTo, p.to ?? WSA_ANONYMOUS, p.headers),
          p.body === undefined ? [] : [p.body],
        ),
        p.action,
      ),
    encodeFault: (f) => {
      const action = f.action ?? WCF_FAULT_ACTION;
      return encode(
        envelope(replyHeaders(action, f.relatesTo, f.to ?? WSA_ANONYMOUS), [faultBody(f)]),
        action,
      );
    },
  };
};
