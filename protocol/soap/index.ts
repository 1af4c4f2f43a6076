// SOAP messages: over net.tcp, the binary session encoding (0x08) and SOAP 1.2 text (0x03), a request
// builder and a reply/fault reader, and the per-session codec with its correlator; over HTTP, SOAP 1.1 and
// 1.2 text envelopes with their HTTP headers. Pure: no I/O.

export { decodeSessionMessage, encodeSessionMessage } from './binary-session.ts';
export {
  createSoapCodec,
  SOAP_ENCODINGS,
  type SoapCall,
  type SoapCodec,
  type SoapCodecOptions,
  type SoapCorrelator,
  type SoapEncodingName,
  type SoapReply,
} from './codec.ts';
export {
  type EnvelopeParts,
  operationBody,
  readEnvelope,
  requestEnvelope,
  type RequestParts,
  type SoapFault,
} from './envelope.ts';
export {
  actionNotSupportedFault,
  createSoapServerCodec,
  deserializationFailedFault,
  destinationUnreachableFault,
  type SoapFaultParts,
  type SoapReplyParts,
  type SoapRequest,
  type SoapServerCodec,
  type SoapServerOptions,
  WCF_DISPATCHER_NS,
  WCF_FAULT_ACTION,
  WSA10_FAULT_ACTION,
} from './server.ts';
export { isSoapError, SoapError, SoapErrorCode, type SoapErrorCodeValue } from './errors.ts';
export { SOAP11, SOAP12, TEMPURI, WSA10, WSA_ANONYMOUS, WSA_NONE } from './namespaces.ts';
export {
  readSoapHttpReply,
  readSoapHttpRequest,
  SOAP_MEDIA_TYPES,
  SOAP_VERSIONS,
  soapActionOf,
  soapHttpFault,
  soapHttpHeaders,
  type SoapHttpMessage,
  soapHttpReply,
  soapHttpRequest,
  type SoapHttpRequestParts,
  type SoapVersion,
  soapVersionOf,
} from './http.ts';
export {
  envelope11,
  type Envelope11Parts,
  faultEnvelope11,
  readEnvelope11,
  soap11Code,
  type Soap11FaultParts,
} from './soap11.ts';
export { RepeatedRequests } from './repeat.ts';
export { treeToXml, xmlToTree } from './text.ts';
