// The binary XML codec held to .NET's own binary XML reader and writer (System.Xml's
// XmlDictionaryReader/Writer, which WCF's binary encoders are built on): each side reads what the other
// writes, and typed values read as the same characters.

import fc from 'fast-check';
import t from 'tap';
import {
  createSoapCodec,
  decodeSessionMessage,
  encodeSessionMessage,
  NBFS_STRINGS,
  type NbfxText,
  SessionReader,
  SessionWriter,
  type SoapCall,
  textOf,
  textToString,
  treeToXml,
  writeRecords,
  xmlToTree,
  type XmlElement,
  type XmlNode,
} from '../../protocol/index.ts';
import { plainTextArb } from '../protocol/nbfx/arbitraries.ts';
import { capturedEnvelopes } from '../protocol/soap/captured.ts';
import { runOracle, skipReason } from './programs.ts';

const skip = skipReason('nbfx-oracle');
if (skip !== undefined) t.comment(`nbfx oracle skipped: ${skip}`);

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const parse = (xml: string): XmlElement => xmlToTree(new TextEncoder().encode(xml));

// Declarations and attributes compare as sets (writers order them differently), and a declaration that
// repeats the binding already in scope is dropped (.NET's XmlWriter leaves those out).
const norm = (e: XmlElement, scope: ReadonlyMap<string, string> = new Map()): unknown => {
  const inner = new Map(scope);
  const declarations: string[] = [];
  for (const d of e.declarations) {
    if (inner.get(d.prefix) !== d.uri) declarations.push(`${d.prefix}=${d.uri}`);
    inner.set(d.prefix, d.uri);
  }
  return {
    prefix: e.prefix,
    name: e.name,
    ns: e.ns,
    declarations: declarations.sort(),
    attributes: e.attributes.map((a) => `{${a.ns}}${a.name}=${a.value}`).sort(),
    children: e.children.map((c: XmlNode) => (typeof c === 'string' ? c : norm(c, inner))),
  };
};

// Trees with names from a small pool, so session strings repeat across messages.
const nameArb = fc.constantFrom('Echo', 'text', 'Result', 'Envelope', 'Body', 'item', 'a1', 'Value');
const treeArb: fc.Arbitrary<XmlElement> = fc.letrec<{ el: XmlElement }>((tie) => ({
  el: fc
    .record({
      ns: fc.constantFrom('', 'http://tempuri.org/', 'http://www.w3.org/2003/05/soap-envelope', 'urn:x'),
      name: nameArb,
      attrs: fc.uniqueArray(fc.tuple(nameArb, fc.string({ maxLength: 8 })), {
        maxLength: 2,
        selector: (a) => a[0],
      }),
      kids: fc.array(
        fc.oneof({ depthSize: 'small' }, fc.string({ minLength: 1, maxLength: 10 }), tie('el')),
        { maxLength: 3 },
      ),
    })
    .map(({ ns, name, attrs, kids }): XmlElement => {
      const children: XmlNode[] = [];
      for (const c of kids) {
        const last = children.at(-1);
        if (typeof c === 'string' && typeof last === 'string') children[children.length - 1] = last + c;
        else children.push(c);
      }
      return {
        prefix: ns === '' ? '' : 'p',
        name,
        ns,
        declarations: ns === '' ? [] : [{ prefix: 'p', uri: ns }],
        attributes: attrs.map(([n, value]) => ({ prefix: '', name: n, ns: '', value })),
        children,
      };
    }),
})).el;

t.test('.NET reads the captured session the same as we do', { skip }, async (t) => {
  const answers = await runOracle(
    NBFS_STRINGS,
    capturedEnvelopes.map((e) => ({ op: 'read' as const, session: e.dir, hex: hex(e.payload) })),
  );
  const readers = { 'c>s': new SessionReader(), 's>c': new SessionReader() };
  capturedEnvelopes.forEach((e, i) => {
    const a = answers[i]!;
    t.ok(a.ok, JSON.stringify(a));
    if (a.ok)
      t.same(norm(parse(a.xml!)), norm(decodeSessionMessage(e.payload, readers[e.dir])), `message ${i}`);
  });
});

t.test('.NET reads what our session writer writes, message after message', { skip }, async (t) => {
  const trees = fc.sample(treeArb, { numRuns: 150, seed: 7 });
  const w = new SessionWriter();
  const answers = await runOracle(
    NBFS_STRINGS,
    trees.map((tree) => ({ op: 'read' as const, session: 'ours', hex: hex(encodeSessionMessage(tree, w)) })),
  );
  trees.forEach((tree, i) => {
    const a = answers[i]!;
    if (!a.ok) t.fail(`message ${i}: ${a.error}`);
    else if (JSON.stringify(norm(parse(a.xml!))) !== JSON.stringify(norm(tree)))
      t.same(norm(parse(a.xml!)), norm(tree), `message ${i}`);
  });
  t.pass(`${trees.length} messages`);
});

t.test("we read what .NET's session writer writes, message after message", { skip }, async (t) => {
  const trees = fc.sample(treeArb, { numRuns: 150, seed: 11 });
  const answers = await runOracle(
    NBFS_STRINGS,
    trees.map((tree) => ({
      op: 'write' as const,
      session: 'theirs',
      xml: Buffer.from(treeToXml(tree)).toString(),
    })),
  );
  const r = new SessionReader();
  trees.forEach((tree, i) => {
    const a = answers[i]!;
    if (!a.ok) t.fail(`message ${i}: ${a.error}`);
    else {
      const back = decodeSessionMessage(Buffer.from(a.hex!, 'hex'), r);
      if (JSON.stringify(norm(back)) !== JSON.stringify(norm(tree)))
        t.same(norm(back), norm(tree), `message ${i}`);
    }
  });
  t.pass(`${trees.length} messages`);
});

t.test('our SOAP requests read in .NET as the envelopes we meant', { skip }, async (t) => {
  const codec = createSoapCodec({
    encoding: 'binary-session',
    to: 'net.tcp://127.0.0.1:808/echo',
    contract: 'IInteropService',
  });
  const calls: SoapCall[] = [
    { operation: 'Echo', params: { text: 'hello' } },
    { operation: 'Delay', params: { ms: 100 } },
    { operation: 'Echo', params: { text: 'x'.repeat(600) } },
  ];
  const bytes = calls.map((c) => codec.encodeRequest(c));
  const answers = await runOracle(
    NBFS_STRINGS,
    bytes.map((b) => ({ op: 'read' as const, session: 'c', hex: hex(b) })),
  );
  t.match(answers[0], {
    ok: true,
    xml: /<a:Action s:mustUnderstand="1">http:\/\/tempuri.org\/IInteropService\/Echo<\/a:Action>/,
  });
  t.match(answers[1], { ok: true, xml: /<Delay xmlns="http:\/\/tempuri.org\/"><ms>100<\/ms><\/Delay>/ });
  t.match(answers[2], { ok: true, xml: /<text>x{600}<\/text>/ });
});

// Typed text .NET can read without dictionary ids of ours.
const typedArb = plainTextArb.filter((x) => x.t !== 'dict' && x.t !== 'qname');

t.test('typed text records read as the same characters in .NET and here', { skip }, async (t) => {
  const edges: NbfxText[] = [
    ...[1e7, 16777216, 123456789, 1e-5, 1e-4, 3.4e38, 1e-45, -87818525212672].map((v) => ({
      t: 'float' as const,
      v: Math.fround(v),
    })),
    ...[1e15, 1e16, 1e17, 1.2345678901234567e19, 1e-4, 1e-5, 5e-324, Number.MAX_VALUE, -0].map((v) => ({
      t: 'double' as const,
      v,
    })),
    { t: 'datetime', v: 3155378975999999999n },
    { t: 'datetime', v: (1n << 62n) | 0n },
    { t: 'timespan', v: -(1n << 63n) },
    { t: 'timespan', v: (1n << 63n) - 1n },
    { t: 'int64', v: -(1n << 63n) },
    { t: 'uint64', v: (1n << 64n) - 1n },
  ];
  const values: NbfxText[] = [...edges, ...fc.sample(typedArb, { numRuns: 1500, seed: 3 })];
  const docs = values.map((v) => {
    const doc = writeRecords([
      { kind: 'element', prefix: '', name: 'v' },
      { kind: 'text', value: v, end: true },
    ]);
    return hex(Uint8Array.from([0, ...doc]));
  });
  const answers = await runOracle(
    NBFS_STRINGS,
    docs.map((h) => ({ op: 'read' as const, session: 'typed', hex: h })),
  );
  let differ = 0;
  values.forEach((v, i) => {
    const a = answers[i]!;
    const ours = textToString(v, () => '');
    if (!a.ok) {
      t.fail(`${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))}: ${a.error}`);
      return;
    }
    const theirs = textOf(parse(a.xml!));
    if (theirs !== ours && differ++ < 20) {
      t.equal(
        ours,
        theirs,
        JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)),
      );
    }
  });
  t.equal(differ, 0, `${values.length} values, ${differ} read differently`);
});
