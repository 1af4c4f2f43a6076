// SOAP 1.1 envelopes as WCF's BasicHttpBinding writes them (message version Soap11, no WS-Addressing): a
// request is the Body alone (the action travels in the HTTP SOAPAction header), a fault is faultcode,
// faultstring and an optional detail. Reading gives the same SoapFault shape as SOAP 1.2.

import { child, childElements, el, textOf, XML_NAMESPACE, type XmlElement } from '../nbfx/index.ts';
import { resolveQName, type Scope, scopeOf, type SoapFault } from './envelope.ts';
import { SoapError, SoapErrorCode } from './errors.ts';
import { SOAP11, SOAP12, WSA_NONE } from './namespaces.ts';

const DECLARATIONS = [{ prefix: 's', uri: SOAP11 }];

// A SOAP 1.1 envelope around this Body content; WCF writes no Header when there are no headers.
export const envelope11 = (body: XmlElement[], headers: XmlElement[] = []): XmlElement =>
  el(
    's:Envelope',
    SOAP11,
    [...(headers.length === 0 ? [] : [el('s:Header', SOAP11, headers)]), el('s:Body', SOAP11, body)],
    { declarations: DECLARATIONS },
  );

// What a SOAP 1.1 fault says: the code (a QName; Client and Server are SOAP 1.1's own), the reason.
export type Soap11FaultParts = {
  code: { name: string; ns: string };
  reason: string;
  detail?: XmlElement;
};

// The SOAP 1.1 faultcode WCF writes for a SOAP 1.2 style code: the innermost subcode when there is one
// (ActionNotSupported), else Sender -> Client and Receiver -> Server.
export const soap11Code = (
  code: string,
  subcodes: readonly { name: string; ns: string }[] = [],
): { name: string; ns: string } => {
  const sub = subcodes.at(-1);
  if (sub !== undefined) return sub;
  const name = code === 'Sender' ? 'Client' : code === 'Receiver' ? 'Server' : code;
  return { name, ns: SOAP11 };
};

// A fault envelope: <s:Fault><faultcode>..</faultcode><faultstring xml:lang="en-US">..</faultstring></s:Fault>.
export const faultEnvelope11 = (f: Soap11FaultParts): XmlElement => {
  const code =
    f.code.ns === SOAP11
      ? el('faultcode', '', [`s:${f.code.name}`])
      : el('faultcode', '', [`a:${f.code.name}`], {
          declarations: [{ prefix: 'a', uri: f.code.ns === '' ? WSA_NONE : f.code.ns }],
        });
  const lang = [{ prefix: 'xml', name: 'lang', ns: XML_NAMESPACE, value: 'en-US' }];
  return envelope11([
    el('s:Fault', SOAP11, [
      code,
      el('faultstring', '', [f.reason], { attributes: lang }),
      ...(f.detail === undefined ? [] : [el('detail', '', [f.detail])]),
    ]),
  ]);
};

// What a received SOAP 1.1 envelope says.
export type Envelope11Parts = {
  header: XmlElement | undefined;
  body: XmlElement;
  fault: SoapFault | undefined;
};

// SOAP 1.1 fault children are unqualified; some writers qualify them anyway, so either is read.
const faultChild = (fault: XmlElement, name: string): XmlElement | undefined =>
  child(fault, '', name) ?? child(fault, SOAP11, name);

const readFault11 = (fault: XmlElement, scope: Scope): SoapFault => {
  const fs = scopeOf(scope, fault);
  const code = faultChild(fault, 'faultcode');
  if (code === undefined) throw new SoapError(SoapErrorCode.BadFault, 'the Fault has no faultcode');
  const reason = faultChild(fault, 'faultstring');
  if (reason === undefined) throw new SoapError(SoapErrorCode.BadFault, 'the Fault has no faultstring');
  const q = resolveQName(textOf(code), scopeOf(fs, code));
  return {
    code: q.name,
    codeNs: q.ns,
    subcodes: [],
    reason: textOf(reason),
    detail: faultChild(fault, 'detail'),
  };
};

// Reads a SOAP 1.1 envelope: its Header, Body, and the Fault when the Body holds one.
export const readEnvelope11 = (root: XmlElement): Envelope11Parts => {
  if (root.ns !== SOAP11 || root.name !== 'Envelope') {
    const what = root.ns === SOAP12 ? 'a SOAP 1.2 Envelope' : `{${root.ns}}${root.name}`;
    throw new SoapError(SoapErrorCode.NotEnvelope, `expected a SOAP 1.1 Envelope, got ${what}`);
  }
  const body = child(root, SOAP11, 'Body');
  if (body === undefined) throw new SoapError(SoapErrorCode.NotEnvelope, 'the Envelope has no Body');
  const first = childElements(body)[0];
  const fault =
    first !== undefined && first.ns === SOAP11 && first.name === 'Fault'
      ? readFault11(first, scopeOf(scopeOf(new Map([['xml', XML_NAMESPACE]]), root), body))
      : undefined;
  return { header: child(root, SOAP11, 'Header'), body, fault };
};
