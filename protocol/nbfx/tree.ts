// Records to an element tree and back: nesting checked, names and namespaces resolved through the
// dictionary, and on the way out every string the dictionary knows written as a DictionaryString.

import { NbfxError, NbfxErrorCode } from './errors.ts';
import { arrayValues } from './read.ts';
import type { NbfxName, NbfxRecord, NbfxText } from './records.ts';
import { isGuidText, textToString } from './values.ts';
import { XML_NAMESPACE, type XmlElement } from './xml.ts';

// Resolves a DictionaryString id to its string; throws NBFX_UNKNOWN_DICTIONARY_STRING for unknown ids.
export type Resolve = (id: number) => string;

// Finds the DictionaryString id of a string. `add` asks to add it to the session when it is new
// (names and namespaces do); text only uses strings already known.
export type Lookup = (s: string, add: boolean) => number | undefined;

// Limits on the trees a reader builds.
export type TreeOptions = {
  // Deepest nesting accepted (WCF's reader quota MaxDepth is 32 by default; replies are shallow).
  maxDepth?: number;
};

const DEFAULT_MAX_DEPTH = 64;

type Scope = { parent: Scope | undefined; prefix: string; uri: string };

const lookupNs = (scope: Scope | undefined, prefix: string): string | undefined => {
  for (let s = scope; s !== undefined; s = s.parent) if (s.prefix === prefix) return s.uri;
  if (prefix === 'xml') return XML_NAMESPACE;
  if (prefix === '') return '';
  return undefined;
};

type Open = {
  el: XmlElement;
  scope: Scope | undefined;
  inStartTag: boolean;
  pendingAttrs: { prefix: string; name: string; value: string }[];
};

// Builds the element tree of one document: exactly one root element, comments ignored.
export const recordsToTree = (
  records: readonly NbfxRecord[],
  resolve: Resolve,
  options: TreeOptions = {},
): XmlElement => {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const name = (n: NbfxName): string => (typeof n === 'string' ? n : resolve(n.dict));
  const text = (t: NbfxText): string => textToString(t, resolve);
  const stack: Open[] = [];
  let root: XmlElement | undefined;

  // Resolves the open element's prefix and its attributes' once its start tag is complete.
  const closeStartTag = (o: Open): void => {
    if (!o.inStartTag) return;
    o.inStartTag = false;
    const ns = lookupNs(o.scope, o.el.prefix);
    if (ns === undefined)
      throw new NbfxError(
        NbfxErrorCode.UndeclaredPrefix,
        `prefix ${o.el.prefix} of ${o.el.name} is not declared`,
      );
    o.el.ns = ns;
    for (const a of o.pendingAttrs) {
      const ans = a.prefix === '' ? '' : lookupNs(o.scope, a.prefix);
      if (ans === undefined)
        throw new NbfxError(
          NbfxErrorCode.UndeclaredPrefix,
          `prefix ${a.prefix} of attribute ${a.name} is not declared`,
        );
      o.el.attributes.push({ prefix: a.prefix, name: a.name, ns: ans, value: a.value });
    }
  };

  const addText = (s: string): void => {
    const top = stack.at(-1);
    if (top === undefined)
      throw new NbfxError(NbfxErrorCode.UnexpectedRecord, 'text outside the root element');
    closeStartTag(top);
    if (s === '') return;
    const kids = top.el.children;
    const last = kids.at(-1);
    if (typeof last === 'string') kids[kids.length - 1] = last + s;
    else kids.push(s);
  };

  const open = (prefix: string, localName: string): Open => {
    const parent = stack.at(-1);
    if (parent === undefined && root !== undefined)
      throw new NbfxError(NbfxErrorCode.Unbalanced, 'a second root element');
    if (stack.length >= maxDepth)
      throw new NbfxError(NbfxErrorCode.TooDeep, `elements nested deeper than ${maxDepth}`);
    if (parent !== undefined) closeStartTag(parent);
    const el: XmlElement = {
      prefix,
      name: localName,
      ns: '',
      declarations: [],
      attributes: [],
      children: [],
    };
    if (parent === undefined) root = el;
    else parent.el.children.push(el);
    const o: Open = { el, scope: parent?.scope, inStartTag: true, pendingAttrs: [] };
    stack.push(o);
    return o;
  };

  const attribute = (r: Extract<NbfxRecord, { kind: 'attribute' | 'xmlns' }>, o: Open | undefined): void => {
    if (o === undefined || !o.inStartTag)
      throw new NbfxError(NbfxErrorCode.UnexpectedRecord, `${r.kind} attribute outside a start tag`);
    if (r.kind === 'xmlns') {
      const uri = name(r.uri);
      o.el.declarations.push({ prefix: r.prefix, uri });
      o.scope = { parent: o.scope, prefix: r.prefix, uri };
    } else {
      o.pendingAttrs.push({ prefix: r.prefix, name: name(r.name), value: text(r.value) });
    }
  };

  const close = (): void => {
    const o = stack.pop();
    if (o === undefined) throw new NbfxError(NbfxErrorCode.Unbalanced, 'EndElement with no element open');
    closeStartTag(o);
  };

  for (const r of records) {
    switch (r.kind) {
      case 'element':
        open(r.prefix, name(r.name));
        break;
      case 'attribute':
      case 'xmlns':
        attribute(r, stack.at(-1));
        break;
      case 'text':
        addText(text(r.value));
        if (r.end) close();
        break;
      case 'end':
        close();
        break;
      case 'comment':
        break;
      case 'array':
        for (const v of arrayValues(r.valueType, r.count, r.data)) {
          const o = open(r.element.prefix, name(r.element.name));
          for (const a of r.attributes) attribute(a, o);
          addText(text(v));
          close();
        }
        break;
    }
  }
  if (stack.length > 0) throw new NbfxError(NbfxErrorCode.Unbalanced, `${stack.length} element(s) left open`);
  if (root === undefined) throw new NbfxError(NbfxErrorCode.Unbalanced, 'no root element');
  return root;
};

const CANONICAL_INT = /^-?(0|[1-9][0-9]{0,18})$/;
const UNIQUE_ID = /^urn:uuid:([0-9a-f-]{36})$/;

// The most compact text record that reads back as exactly these characters.
export const textRecordFor = (s: string, lookup: Lookup): NbfxText => {
  if (s === '') return { t: 'empty' };
  if (s === '0') return { t: 'zero' };
  if (s === '1') return { t: 'one' };
  if (s === 'true') return { t: 'true' };
  if (s === 'false') return { t: 'false' };
  if (CANONICAL_INT.test(s) && s !== '-0') {
    const v = BigInt(s);
    if (v >= -128n && v <= 127n) return { t: 'int8', v: Number(v) };
    if (v >= -32768n && v <= 32767n) return { t: 'int16', v: Number(v) };
    if (v >= -2147483648n && v <= 2147483647n) return { t: 'int32', v: Number(v) };
    if (v >= -(1n << 63n) && v < 1n << 63n) return { t: 'int64', v };
  }
  const u = UNIQUE_ID.exec(s);
  if (u !== null && isGuidText(u[1]!)) return { t: 'unique-id', v: u[1]! };
  const id = lookup(s, false);
  if (id !== undefined) return { t: 'dict', id };
  const n = Buffer.byteLength(s, 'utf8');
  return { t: n <= 0xff ? 'chars8' : n <= 0xffff ? 'chars16' : 'chars32', v: s };
};

// The records of an element tree, DictionaryStrings wherever `lookup` has (or adds) the string. The last
// text before an EndElement uses the WithEndElement form, as .NET's writer does.
export const treeToRecords = (root: XmlElement, lookup: Lookup): NbfxRecord[] => {
  const out: NbfxRecord[] = [];
  const nm = (s: string): NbfxName => {
    const id = lookup(s, true);
    return id === undefined ? s : { dict: id };
  };
  const walk = (e: XmlElement): void => {
    out.push({ kind: 'element', prefix: e.prefix, name: nm(e.name) });
    for (const d of e.declarations) out.push({ kind: 'xmlns', prefix: d.prefix, uri: nm(d.uri) });
    for (const a of e.attributes) {
      out.push({
        kind: 'attribute',
        prefix: a.prefix,
        name: nm(a.name),
        value: textRecordFor(a.value, lookup),
      });
    }
    const kids = e.children.filter((c) => c !== '');
    kids.forEach((c, i) => {
      if (typeof c !== 'string') walk(c);
      else out.push({ kind: 'text', value: textRecordFor(c, lookup), end: i === kids.length - 1 });
    });
    if (typeof kids.at(-1) !== 'string') out.push({ kind: 'end' });
  };
  walk(root);
  return out;
};
