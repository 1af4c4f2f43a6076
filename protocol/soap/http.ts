// SOAP over HTTP as WCF sends it: BasicHttpBinding (SOAP 1.1, no WS-Addressing, the action in a quoted
// SOAPAction header, text/xml) and WSHttpBinding without security (SOAP 1.2 with WS-Addressing 1.0, the
// action in the application/soap+xml content type and the Action header). Envelopes, HTTP headers, and
// reading either side. Pure: no sockets.

import { MIMEType } from 'node:util';
import { childElements, textOf, type XmlElement } from '../nbfx/index.ts';
import { resultOf, type SoapReply, toReply } from './codec.ts';
import { requestEnvelope } from './envelope.ts';
import { SoapError, SoapErrorCode } from './errors.ts';
import { WSA_ANONYMOUS } from './namespaces.ts';
import {
  createSoapServerCodec,
  type SoapFaultParts,
  type SoapReplyParts,
  type SoapRequest,
} from './server.ts';
import { envelope11, faultEnvelope11, readEnvelope11, soap11Code } from './soap11.ts';
import { treeToXml, xmlToTree } from './text.ts';

// The SOAP versions HTTP bindings speak: 1.1 (BasicHttpBinding), 1.2 (WSHttpBinding).
export const SOAP_VERSIONS = ['1.1', '1.2'] as const;
export type SoapVersion = (typeof SOAP_VERSIONS)[number];

// The media type of each version's messages.
export const SOAP_MEDIA_TYPES = { '1.1': 'text/xml', '1.2': 'application/soap+xml' } as const;

// What a request over HTTP carries. SOAP 1.2 also needs `to` (the endpoint's address) and a MessageID.
export type SoapHttpRequestParts = {
  version: SoapVersion;
  action: string;
  to?: string;
  messageId?: string;
  // The Body's content (the operation's wrapper element); none for an empty body.
  body?: XmlElement | undefined;
};

// A message ready for HTTP: its headers (Content-Type, and SOAPAction for 1.1) and its UTF-8 body.
export type SoapHttpMessage = { headers: Record<string, string>; body: Uint8Array };

// An action goes into an HTTP header as a quoted string; a line break there would end the header.
const quoted = (action: string): string => {
  // eslint-disable-next-line no-control-regex -- control characters cannot travel in an HTTP header
  if (/[\u0000-\u001f\u007f]/.test(action))
    throw new SoapError(
      SoapErrorCode.Unencodable,
      'an action with a control character cannot be an HTTP header',
    );
  return `"${action.replace(/["\\]/g, '\\$&')}"`;
};

// The HTTP headers of a SOAP message of this version: Content-Type, and the action where the version puts it.
export const soapHttpHeaders = (version: SoapVersion, action?: string): Record<string, string> =>
  version === '1.1'
    ? {
        'Content-Type': 'text/xml; charset=utf-8',
        ...(action === undefined ? {} : { SOAPAction: quoted(action) }),
      }
    : {
        'Content-Type': `application/soap+xml; charset=utf-8${action === undefined ? '' : `; action=${quoted(action)}`}`,
      };

// A request as WCF's client sends it over HTTP.
export const soapHttpRequest = (p: SoapHttpRequestParts): SoapHttpMessage => {
  if (p.version === '1.1') {
    return {
      headers: soapHttpHeaders('1.1', p.action),
      body: treeToXml(envelope11(p.body === undefined ? [] : [p.body])),
    };
  }
  if (p.to === undefined || p.messageId === undefined)
    throw new SoapError(SoapErrorCode.Unencodable, 'a SOAP 1.2 request needs a To address and a MessageID');
  return {
    headers: soapHttpHeaders('1.2', p.action),
    body: treeToXml(requestEnvelope({ action: p.action, to: p.to, messageId: p.messageId, body: p.body })),
  };
};

// Reads a reply body of this version as a reply or a fault; throws SoapError for anything else (another
// version's envelope included).
export const readSoapHttpReply = (bytes: Uint8Array, version: SoapVersion, maxDepth?: number): SoapReply => {
  const root = xmlToTree(bytes, maxDepth);
  if (version === '1.2') return toReply(root);
  const env = readEnvelope11(root);
  if (env.fault !== undefined)
    return { kind: 'fault', action: undefined, relatesTo: undefined, ...env.fault };
  const body = childElements(env.body)[0];
  return { kind: 'reply', action: undefined, relatesTo: undefined, body, result: resultOf(body) };
};

// The SOAP version a Content-Type names, or undefined for any other media type (or none).
export const soapVersionOf = (contentType: string | undefined): SoapVersion | undefined => {
  if (contentType === undefined) return undefined;
  let m: MIMEType;
  try {
    m = new MIMEType(contentType);
  } catch {
    return undefined;
  }
  return SOAP_VERSIONS.find((v) => SOAP_MEDIA_TYPES[v] === m.essence);
};

// The action of a request from its HTTP headers: SOAPAction (1.1, quotes removed) or the content type's
// action parameter (1.2).
export const soapActionOf = (
  version: SoapVersion,
  headers: { contentType?: string | undefined; soapAction?: string | undefined },
): string | undefined => {
  if (version === '1.1') {
    const a = headers.soapAction?.trim();
    if (a === undefined) return undefined;
    return a.length >= 2 && a.startsWith('"') && a.endsWith('"') ? a.slice(1, -1).replace(/\\(.)/g, '$1') : a;
  }
  try {
    return new MIMEType(headers.contentType ?? '').params.get('action') ?? undefined;
  } catch {
    return undefined;
  }
};

// SOAP 1.2 text is stateless, so one server codec serves every request.
const soap12 = createSoapServerCodec({ encoding: 'soap12' });

// Reads a request on the service side. SOAP 1.1 has no addressing headers: its action is the one the HTTP
// headers carried (soapActionOf).
export const readSoapHttpRequest = (
  bytes: Uint8Array,
  version: SoapVersion,
  httpAction: string | undefined,
  maxDepth?: number,
): SoapRequest => {
  if (version === '1.2') return soap12.decodeRequest(bytes);
  const env = readEnvelope11(xmlToTree(bytes, maxDepth));
  const body = childElements(env.body)[0];
  const params: Record<string, string> = {};
  for (const p of body === undefined ? [] : childElements(body)) params[p.name] = textOf(p);
  return { action: httpAction, messageId: undefined, to: undefined, replyTo: WSA_ANONYMOUS, body, params };
};

// A reply body of this version (SOAP 1.1: the Body alone; 1.2: with Action, RelatesTo and To).
export const soapHttpReply = (version: SoapVersion, parts: SoapReplyParts): Uint8Array =>
  version === '1.2'
    ? soap12.encodeReply(parts)
    : treeToXml(envelope11(parts.body === undefined ? [] : [parts.body]));

// A fault body of this version; SOAP 1.1 carries one code (soap11Code), 1.2 the code and its subcodes.
export const soapHttpFault = (version: SoapVersion, fault: SoapFaultParts): Uint8Array =>
  version === '1.2'
    ? soap12.encodeFault(fault)
    : treeToXml(
        faultEnvelope11({
          code: soap11Code(fault.code, fault.subcodes),
          reason: fault.reason,
          ...(fault.detail === undefined ? {} : { detail: fault.detail }),
        }),
      );
