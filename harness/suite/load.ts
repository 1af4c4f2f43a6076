// Loads a suite: YAML with positions kept, the schema, the cross-field rules; every problem at once,
// each as FILE:LINE:COL path: expected ..., got ... (type).

import { readFile } from 'node:fs/promises';
import { isMap, isNode, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type * as z from 'zod';
import { crossChecks, type RawIssue } from './cross-checks.ts';
import { type ParsedSuite, suiteSchema } from './schema.ts';
import { keysAt } from './schema-walk.ts';
import { syntaxProblems, unresolvedAlias } from './yaml-errors.ts';

export type SuiteProblem = { file: string; line: number; col: number; path: string; message: string };

export type LoadedSuite = { file: string; text: string; suite: ParsedSuite };

export type LoadResult = { ok: true; loaded: LoadedSuite } | { ok: false; problems: SuiteProblem[] };

// One problem as a line: suites/x.yaml:12:7 load[0].rate: expected ..., got "fast" (string).
// A problem with no place in a file (line 0: a value given on the command line) names only its source.
export const formatProblem = (p: SuiteProblem): string =>
  `${p.file}${p.line > 0 ? `:${p.line}:${p.col}` : ':'} ${p.path === '' ? '(suite)' : p.path}: ${p.message}`;

// A path as people write it: load[0].rate, checks["listener.responsive"].maxGap.
export const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((k, i) =>
      typeof k === 'number'
        ? `[${k}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(k))
          ? `${i === 0 ? '' : '.'}${String(k)}`
          : `[${JSON.stringify(String(k))}]`,
    )
    .join('');

// What a value is, for "got ...": the value (shortened) and its YAML type.
export const describeValue = (v: unknown): string => {
  if (v === undefined) return 'nothing (missing)';
  const kind = v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v;
  // JSON.stringify gives undefined only for functions and symbols, which YAML never produces.
  let s = JSON.stringify(v) ?? typeof v;
  if (s.length > 60) s = `${s.slice(0, 57)}...`;
  return `${s} (${kind})`;
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown => {
  let v: unknown = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
};

// Stands for a node that has no place in the text.
const UNPLACED = {} as Node;

// The YAML node at a path, or the deepest node on the way (where a missing field would go).
const nodeAt = (doc: Document, path: readonly PropertyKey[], key = false): Node | undefined => {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (isMap(node)) {
      // A key set by --set may be a plain value rather than a node.
      const pair = node.items.find(
        (p) => (isNode(p.key) ? (p.key as { value?: unknown }).value : p.key) === k,
      );
      if (pair === undefined) return node;
      if ((key && i === path.length - 1) || pair.value === null)
        return isNode(pair.key) ? pair.key : ((pair.value as Node | null) ?? UNPLACED);
      node = pair.value;
    } else if (isSeq(node) && typeof k === 'number') {
      const item = node.items[k];
      if (item === undefined) return node;
      node = item;
    } else {
      return node as Node;
    }
  }
  return node as Node;
};

const position = (
  doc: Document,
  lc: LineCounter,
  path: readonly PropertyKey[],
  key = false,
): [number, number] => {
  const n = nodeAt(doc, path, key);
  // A node put into the document after it was read (by --set) has no place in the text.
  if (n !== undefined && n.range == null) return [0, 0];
  const p = lc.linePos(n?.range?.[0] ?? 0);
  return [p.line, p.col];
};

// The closest of some words to a typo (at most two edits away); hand-written, ten lines.
const closest = (word: string, options: string[]): string | undefined => {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best;
};

const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
};

const fromZod = (
  schema: z.ZodType,
  issue: z.core.$ZodIssue,
  raw: unknown,
  doc: Document,
  lc: LineCounter,
  file: string,
): SuiteProblem[] => {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(schema, path, raw) ?? [];
    return issue.keys.map((k) => {
      const [line, col] = position(doc, lc, [...path, k], true);
      const guess = closest(k, allowed);
      const hint = guess !== undefined ? `; did you mean ${JSON.stringify(guess)}?` : '';
      const expected = allowed.length > 0 ? ` (expected one of ${allowed.join(', ')})` : '';
      return { file, line, col, path: formatPath([...path, k]), message: `unknown field${hint}${expected}` };
    });
  }
  const value = valueAt(raw, path);
  const [line, col] = position(doc, lc, path);
  return [
    {
      file,
      line,
      col,
      path: formatPath(path),
      message: `expected ${issue.message}, got ${describeValue(value)}`,
    },
  ];
};

const fromCross = (issue: RawIssue, doc: Document, lc: LineCounter, file: string): SuiteProblem => {
  const [line, col] = position(doc, lc, issue.path, issue.key);
  return { file, line, col, path: formatPath(issue.path), message: issue.message };
};

export type YamlResult<T> = { ok: true; value: T } | { ok: false; problems: SuiteProblem[] };

// YAML read with every node's place, or its syntax problems.
export type Parsed = { ok: true; doc: Document; lc: LineCounter } | { ok: false; problems: SuiteProblem[] };

// Reads YAML text keeping every node's place; the syntax errors, if any, as problems.
export const parseYaml = (text: string, file: string): Parsed => {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  return doc.errors.length > 0
    ? { ok: false, problems: syntaxProblems(doc, lc, text, file) }
    : { ok: true, doc, lc };
};

// Validates a YAML document against a schema (plus rules that span fields); `file` names it in
// problems and `what` says what the document should be.
export const validateDocument = <S extends z.ZodType>(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  schema: S,
  what: string,
  rules: (raw: unknown) => RawIssue[] = () => [],
): YamlResult<z.output<S>> => {
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    // An alias to an anchor that does not exist (`*nothing`) is only found when the YAML is resolved.
    return { ok: false, problems: [unresolvedAlias(doc, lineCounter, file, e as Error)] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, path: '', message: `expected ${what}, got ${describeValue(raw)}` }],
    };
  }
  const parsed = schema.safeParse(raw);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.flatMap((i) => fromZod(schema, i, raw, doc, lineCounter, file))),
    ...rules(raw).map((i) => fromCross(i, doc, lineCounter, file)),
  ];
  // A cross-field rule and a type error at the same place say the same thing twice.
  const unique = [...new Map(problems.map((p) => [`${p.line}:${p.col}:${p.path}:${p.message}`, p])).values()];
  unique.sort((a, b) => a.line - b.line || a.col - b.col);
  if (unique.length > 0 || !parsed.success) return { ok: false, problems: unique };
  return { ok: true, value: parsed.data };
};

// Validates YAML text against a schema (plus rules that span fields); `file` names it in problems and
// `what` says what the document should be.
export const validateYaml = <S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  what: string,
  rules: (raw: unknown) => RawIssue[] = () => [],
): YamlResult<z.output<S>> => {
  const p = parseYaml(text, file);
  return p.ok ? validateDocument(p.doc, p.lc, file, schema, what, rules) : p;
};

const SUITE_WHAT = 'a suite (a mapping with name, target, load)';

// Validates a suite read into a document whose text is `text`.
export const loadSuiteDocument = (doc: Document, lc: LineCounter, text: string, file: string): LoadResult => {
  const r = validateDocument(doc, lc, file, suiteSchema, SUITE_WHAT, crossChecks);
  return r.ok ? { ok: true, loaded: { file, text, suite: r.value } } : r;
};

// Validates suite text; `file` names it in problems.
export const loadSuiteText = (text: string, file: string): LoadResult => {
  const p = parseYaml(text, file);
  return p.ok ? loadSuiteDocument(p.doc, p.lc, text, file) : p;
};

// Reads a YAML file for validation, turning read errors into a problem.
export const readYamlFile = async (
  file: string,
  what: string,
): Promise<{ text: string } | { problems: SuiteProblem[] }> => {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    return { problems: [{ file, line: 1, col: 1, path: '', message: `cannot read the ${what}: ${why}` }] };
  }
};

// Reads and validates a suite file.
export const loadSuiteFile = async (file: string): Promise<LoadResult> => {
  const r = await readYamlFile(file, 'suite');
  return 'problems' in r ? { ok: false, problems: r.problems } : loadSuiteText(r.text, file);
};
