// YAML syntax errors as suite problems, each at the line and column where the parser found it. One
// mistake often makes the parser report the same error again further on (after a stray `}` every
// token is unexpected; after an unclosed `{` every line misses a comma), so each error is reported
// once, at its first place, with where else it came up.

import { type Document, isAlias, type LineCounter, type Range, visit, type YAMLError } from 'yaml';
import type { SuiteProblem } from './load.ts';

// What the parser's words usually mean in a suite, for the errors whose words are the parser's own.
const INDENTED_DEEPER = {
  test: /./,
  hint: 'is the line below indented deeper than the keys beside it, or does a value hold an unquoted ": "?',
};
const HINTS: Record<string, { test: RegExp; hint: string }> = {
  BLOCK_AS_IMPLICIT_KEY: INDENTED_DEEPER,
  MULTILINE_IMPLICIT_KEY: INDENTED_DEEPER,
  MISSING_CHAR: {
    test: /^Sequence item without - indicator/,
    hint: 'is this line indented less than the keys of the list item above?',
  },
};

// At most this many other places are listed after a repeated error.
const OTHER_PLACES = 5;

// Where the quoted scalar (or flow collection) that is still open at `at` began: the innermost one
// whose range runs up to it.
const openedBefore = (doc: Document, at: number, kind: 'quote' | 'map' | 'seq'): number | undefined => {
  let opened: number | undefined;
  const check = (node: { range?: Range | null }, matches: boolean) => {
    const r = node.range;
    if (matches && r !== undefined && r !== null && r[0] < at && r[1] >= at && (opened ?? -1) < r[0])
      opened = r[0];
  };
  visit(doc, {
    Scalar: (_, n) => check(n, kind === 'quote' && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE')),
    Map: (_, n) => check(n, kind === 'map' && n.flow === true),
    Seq: (_, n) => check(n, kind === 'seq' && n.flow === true),
  });
  return opened;
};

// The offset a parser error is best shown at. An unclosed quote, `{` or `[` is reported where the
// file ends or the next key starts; the mark that opened it is the mistake. An indentation error
// starts at the line's first column; the item out of line is the mistake.
const offsetOf = (e: YAMLError, doc: Document, text: string): number => {
  const at = e.pos[0];
  const kind =
    e.code === 'MISSING_CHAR' && /quote/.test(e.message)
      ? 'quote'
      : e.code === 'BAD_INDENT' && /end with a \}/.test(e.message)
        ? 'map'
        : e.code === 'BAD_INDENT' && /end with a \]/.test(e.message)
          ? 'seq'
          : undefined;
  const opened = kind === undefined ? undefined : openedBefore(doc, at, kind);
  if (opened !== undefined) return opened;
  let i = at;
  while (text[i] === ' ') i++;
  return text[i] === '\n' || text[i] === '\r' || i >= text.length ? at : i;
};

// The document's syntax errors as problems, in the order of the file.
export const syntaxProblems = (
  doc: Document,
  lc: LineCounter,
  text: string,
  file: string,
): SuiteProblem[] => {
  const groups = new Map<string, { code: string; message: string; places: [number, number][] }>();
  const taken = new Set<number>();
  const lines = text.split('\n');
  for (const e of doc.errors) {
    const at = lc.linePos(offsetOf(e, doc, text));
    // The parser places some errors (a block nested in a compact mapping) past the end of their line:
    // shown at the line's end instead, so that the place is one an editor can go to.
    const p = { line: at.line, col: Math.min(at.col, (lines[at.line - 1]?.length ?? 0) + 1) };
    // Two errors on one line (an implicit key both nested and multi-line, a tab and what it broke)
    // are one mistake: the first says where.
    if (taken.has(p.line)) continue;
    taken.add(p.line);
    const message = e.message.split('\n')[0]!;
    // Unexpected tokens differ only in which token came: after the first, they are one mistake's echo.
    const key = e.code === 'UNEXPECTED_TOKEN' ? e.code : `${e.code} ${message}`;
    const group = groups.get(key) ?? { code: e.code, message, places: [] };
    group.places.push([p.line, p.col]);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ code, message, places }) => {
      const [[line, col], ...others] = places as [[number, number], ...[number, number][]];
      const listed = others.slice(0, OTHER_PLACES).map(([l, c]) => `${l}:${c}`);
      const more = others.length > OTHER_PLACES ? `, and ${others.length - OTHER_PLACES} more` : '';
      const also = others.length > 0 ? `; also at ${listed.join(', ')}${more}` : '';
      const h = HINTS[code];
      const hint = h !== undefined && h.test.test(message) ? `; ${h.hint}` : '';
      return { file, line, col, path: '', message: `YAML: ${message} (${code}${hint}${also})` };
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
};

// An alias to an anchor the file never sets (`*nothing`), found only when the YAML is resolved: the
// problem at the alias.
export const unresolvedAlias = (doc: Document, lc: LineCounter, file: string, error: Error): SuiteProblem => {
  let at = 0;
  visit(doc, {
    Alias: (_, node) => {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const p = lc.linePos(at);
  return { file, line: p.line, col: p.col, path: '', message: `YAML: ${error.message}` };
};
