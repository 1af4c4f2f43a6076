// SOAP 1.2 envelopes as WCF writes them: a request with WS-Addressing headers, and the reading of a reply
// or a fault.

import { child, childElements, el, textOf, type XmlElement, type XmlNode } from '../nbfx/index.ts';
import { SoapError, SoapErrorCode } from './errors.ts';
import { SOAP12, WSA10, WSA_ANONYMOUS } from './namespaces.ts';

// What a request carries.
export type RequestParts = {
  action: string;
  // The To header: the address of the service endpoint.
  to: string;
  messageId: string;
  // The Body's content (the operation's wrapper element); none for an empty body.
  body?: XmlElement | undefined;
};

// The s:mustUnderstand="1" attribute of a header.
export const mustUnderstand = [{ prefix: 's', name: 'mustUnderstand', ns: SOAP12, value: '1' }];

const ENVELOPE_DECLARATIONS = [
  { prefix: 's', uri: SOAP12 },
  { prefix: 'a', uri: WSA10 },
];

// An envelope with these headers and Body content, declaring s (SOAP 1.2) and a (WS-Addressing).
export const envelope = (headers: XmlElement[], body: XmlElement[]): XmlElement =>
  el('s:Envelope', SOAP12, [el('s:Header', SOAP12, headers), el('s:Body', SOAP12, body)], {
    declarations: ENVELOPE_DECLARATIONS,
  });

// A request envelope with the headers WCF's client sends, in its order: Action, MessageID, ReplyTo, To.
export const requestEnvelope = (p: RequestParts): XmlElement =>
  envelope(
    [
      el('a:Action', WSA10, [p.action], { attributes: mustUnderstand }),
      el('a:MessageID', WSA10, [p.messageId]),
      el('a:ReplyTo', WSA10, [el('a:Address', WSA10, [WSA_ANONYMOUS])]),
      el('a:To', WSA10, [p.to], { attributes: mustUnderstand }),
    ],
    p.body === undefined ? [] : [p.body],
  );

// The operation wrapper WCF's DataContractSerializer expects: <Op xmlns="ns"><param>value</param>...</Op>.
export const operationBody = (
  operation: string,
  ns: string,
  params: Readonly<Record<string, string | number | boolean>> = {},
): XmlElement =>
  el(
    operation,
    ns,
    Object.entries(params).map(([k, v]): XmlNode => el(k, ns, [String(v)])),
    { declarations: [{ prefix: '', uri: ns }] },
  );

// A SOAP fault as WCF sends it: the code's local name (Sender, Receiver, ...), the subcodes' local names
// outermost first (for example ActionNotSupported, InternalServiceFault), the first reason text.
export type SoapFault = {
  code: string;
  codeNs: string;
  subcodes: string[];
  reason: string;
  detail: XmlElement | undefined;
};

// What a received envelope says.
export type EnvelopeParts = {
  action: string | undefined;
  messageId: string | undefined;
  relatesTo: string | undefined;
  to: string | undefined;
  // The Body element.
  body: XmlElement;
  fault: SoapFault | undefined;
};

// Prefixes in scope at an element: prefix -> namespace.
export type Scope = ReadonlyMap<string, string>;

// The prefixes in scope inside `e`, given those of its parent.
export const scopeOf = (parent: Scope, e: XmlElement): Scope => {
  if (e.declarations.length === 0) return parent;
  const m = new Map(parent);
  for (const d of e.declarations) m.set(d.prefix, d.uri);
  return m;
};

// Resolves a QName's prefix (a fault code's value) to its namespace.
export const resolveQName = (text: string, scope: Scope): { name: string; ns: string } => {
  const t = text.trim();
  const i = t.indexOf(':');
  const prefix = i < 0 ? '' : t.slice(0, i);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') {
    throw new SoapError(SoapErrorCode.BadFault, `fault code ${t} uses an undeclared prefix`);
  }
  return { name: i < 0 ? t : t.slice(i + 1), ns: ns ?? '' };
};

const bad = (what: string): SoapError => new SoapError(SoapErrorCode.BadFault, `the Fault has no ${what}`);

const readFault = (fault: XmlElement, scope: Scope): SoapFault => {
  const fs = scopeOf(scope, fault);
  const code = child(fault, SOAP12, 'Code');
  if (code === undefined) throw bad('Code');
  let cs = scopeOf(fs, code);
  const value = child(code, SOAP12, 'Value');
  if (value === undefined) throw bad('Code/Value');
  const top = resolveQName(textOf(value), scopeOf(cs, value));
  const subcodes: string[] = [];
  // Subcodes nest; the loop is bounded by the tree's depth, which the reader bounded.
  for (let sub = child(code, SOAP12, 'Subcode'); sub !== undefined; sub = child(sub, SOAP12, 'Subcode')) {
    cs = scopeOf(cs, sub);
    const v = child(sub, SOAP12, 'Value');
    if (v === undefined) throw bad('Subcode/Value');
    subcodes.push(resolveQName(textOf(v), scopeOf(cs, v)).name);
  }
  const reason = child(fault, SOAP12, 'Reason');
  const text = reason === undefined ? undefined : child(reason, SOAP12, 'Text');
  if (text === undefined) throw bad('Reason/Text');
  return {
    code: top.name,
    codeNs: top.ns,
    subcodes,
    reason: textOf(text),
    detail: child(fault, SOAP12, 'Detail'),
  };
};

const headerText = (header: XmlElement | undefined, name: string): string | undefined => {
  const h = header === undefined ? undefined : child(header, WSA10, name);
  return h === undefined ? undefined : textOf(h).trim();
};

// Reads a SOAP 1.2 envelope: addressing headers, the Body, and the Fault when the Body holds one.
export const readEnvelope = (root: XmlElement): EnvelopeParts => {
  if (root.ns !== SOAP12 || root.name !== 'Envelope') {
    throw new SoapError(
      SoapErrorCode.NotEnvelope,
      `expected a SOAP 1.2 Envelope, got {${root.ns}}${root.name}`,
    );
  }
  const header = child(root, SOAP12, 'Header');
  const body = child(root, SOAP12, 'Body');
  if (body === undefined) throw new SoapError(SoapErrorCode.NotEnvelope, 'the Envelope has no Body');
  const first = childElements(body)[0];
  const fault =
    first !== undefined && first.ns === SOAP12 && first.name === 'Fault'
      ? readFault(
          first,
          scopeOf(scopeOf(new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), root), body),
        )
      : undefined;
  return {
    action: headerText(header, 'Action'),
    messageId: headerText(header, 'MessageID'),
    relatesTo: headerText(header, 'RelatesTo'),
    to: headerText(header, 'To'),
    body,
    fault,
  };
};
