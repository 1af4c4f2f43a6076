// The namespaces and well-known URIs WCF's SOAP 1.2 messages use.

// SOAP 1.2 envelope namespace.
export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
// WS-Addressing 1.0 (what NetTcpBinding's Soap12WSAddressing10 message version uses).
export const WSA10 = 'http://www.w3.org/2005/08/addressing';
// ReplyTo for request/reply over a session: reply on the same connection.
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';
// The default namespace of a WCF service contract.
export const TEMPURI = 'http://tempuri.org/';
// SOAP 1.1 envelope namespace (BasicHttpBinding's Soap11 message version).
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
// The namespace of WCF's addressing faults when a binding has no WS-Addressing (AddressingVersion.None).
export const WSA_NONE = 'http://schemas.microsoft.com/ws/2005/05/addressing/none';
