// The element tree both SOAP encodings read into and write from: names resolved to strings, namespaces
// resolved to URIs, text as plain characters.

// An element. `declarations` are the xmlns attributes written on it, in order.
export type XmlElement = {
  prefix: string;
  name: string;
  // The namespace URI the prefix resolves to ('' for none).
  ns: string;
  declarations: XmlDeclaration[];
  attributes: XmlAttribute[];
  children: XmlNode[];
};

// A namespace declaration: xmlns (prefix '') or xmlns:prefix.
export type XmlDeclaration = { prefix: string; uri: string };

// An attribute; `ns` is '' for an unprefixed one.
export type XmlAttribute = { prefix: string; name: string; ns: string; value: string };

// A child: an element or a run of characters.
export type XmlNode = XmlElement | string;

// The namespace the `xml` prefix is bound to without a declaration.
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

// Builds an element; the SOAP builders use it so trees read like the XML they stand for.
export const el = (
  qname: string,
  ns: string,
  children: XmlNode[] = [],
  extra: { declarations?: XmlDeclaration[]; attributes?: XmlAttribute[] } = {},
): XmlElement => {
  const i = qname.indexOf(':');
  return {
    prefix: i < 0 ? '' : qname.slice(0, i),
    name: i < 0 ? qname : qname.slice(i + 1),
    ns,
    declarations: extra.declarations ?? [],
    attributes: extra.attributes ?? [],
    children,
  };
};

// The child elements of an element.
export const childElements = (e: XmlElement): XmlElement[] =>
  e.children.filter((c): c is XmlElement => typeof c !== 'string');

// The first child element with this namespace and local name.
export const child = (e: XmlElement, ns: string, name: string): XmlElement | undefined =>
  e.children.find((c): c is XmlElement => typeof c !== 'string' && c.ns === ns && c.name === name);

// All the characters inside an element, its descendants' included.
export const textOf = (e: XmlElement): string =>
  e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
