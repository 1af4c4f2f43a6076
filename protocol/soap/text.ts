// SOAP 1.2 text (known encoding 0x03): an element tree as UTF-8 XML and back. Parsing uses saxes, a strict,
// namespace-aware parser that expands no DTD entities (so no entity bombs); writing is a few lines.

import { SaxesParser, type SaxesTagNS } from 'saxes';
import { type XmlElement } from '../nbfx/index.ts';
import { SoapError, SoapErrorCode } from './errors.ts';

const utf8in = new TextDecoder('utf-8', { fatal: true });
const utf8out = new TextEncoder();

// Characters XML 1.0 allows at all (tab, LF, CR, and from space up, less surrogates and FFFE/FFFF).
const ILLEGAL =
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what XML forbids
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const check = (s: string): string => {
  if (ILLEGAL.test(s)) throw new SoapError(SoapErrorCode.Unencodable, 'a character XML 1.0 cannot carry');
  return s;
};

const escText = (s: string): string =>
  check(s).replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );

// Attribute values keep tabs and line breaks as character references, or a parser would normalise them.
const escAttr = (s: string): string =>
  check(s).replace(/[&<"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : `&#${c.charCodeAt(0)};`,
  );

const qname = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}:${name}`);

const write = (e: XmlElement, out: string[]): void => {
  const tag = qname(e.prefix, e.name);
  out.push('<', tag);
  for (const d of e.declarations)
    out.push(d.prefix === '' ? ' xmlns="' : ` xmlns:${d.prefix}="`, escAttr(d.uri), '"');
  for (const a of e.attributes) out.push(' ', qname(a.prefix, a.name), '="', escAttr(a.value), '"');
  if (e.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of e.children) {
    if (typeof c === 'string') out.push(escText(c));
    else write(c, out);
  }
  out.push('</', tag, '>');
};

// The UTF-8 XML text of an element tree (no XML declaration, as WCF's text encoder writes it).
export const treeToXml = (root: XmlElement): Uint8Array => {
  const out: string[] = [];
  write(root, out);
  return utf8out.encode(out.join(''));
};

// Parses UTF-8 XML into an element tree; anything but one well-formed document throws SOAP_XML.
export const xmlToTree = (bytes: Uint8Array, maxDepth = 64): XmlElement => {
  let text: string;
  try {
    text = utf8in.decode(bytes);
  } catch (e) {
    throw new SoapError(SoapErrorCode.Xml, 'the message is not UTF-8', e);
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const p = new SaxesParser({ xmlns: true, position: false });
  const append = (t: string): void => {
    const top = stack.at(-1);
    if (top === undefined) return; // whitespace around the root
    const last = top.children.at(-1);
    if (typeof last === 'string') top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };
  p.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= maxDepth)
      throw new SoapError(SoapErrorCode.Xml, `elements nested deeper than ${maxDepth}`);
    const e: XmlElement = {
      prefix: tag.prefix,
      name: tag.local,
      ns: tag.uri,
      declarations: [],
      attributes: [],
      children: [],
    };
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns') e.declarations.push({ prefix: a.local, uri: a.value });
      else if (a.prefix === '' && a.local === 'xmlns') e.declarations.push({ prefix: '', uri: a.value });
      else e.attributes.push({ prefix: a.prefix, name: a.local, ns: a.uri, value: a.value });
    }
    const parent = stack.at(-1);
    if (parent === undefined) root = e;
    else parent.children.push(e);
    stack.push(e);
  });
  p.on('closetag', () => {
    stack.pop();
  });
  p.on('text', append);
  p.on('cdata', append);
  try {
    p.write(text).close();
  } catch (e) {
    if (e instanceof SoapError) throw e;
    throw new SoapError(SoapErrorCode.Xml, `malformed XML: ${(e as Error).message}`, e);
  }
  if (root === undefined) throw new SoapError(SoapErrorCode.Xml, 'no root element');
  return root;
};
