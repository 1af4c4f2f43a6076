// Environment variables in a suite: `${NAME}` and `${NAME:-default}` (the default when NAME is unset
// or empty), replaced in the suite's text before it is read as YAML, as docker compose and envsubst
// do, so they work anywhere a value is written (`rate: ${RATE:-200}`, `{ at: ${AT} }`), but not in
// comments. `$${` writes `${`. A value goes in as it is written: text with YAML's own characters
// (`: `, `#`, `,`, brackets, quotes) belongs inside quotes. Hand-written rather than a template
// library: problems must point at the reference in the file (and columns move when values are put in).

import { Parser } from 'yaml';
import type { SuiteProblem } from './load.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// One replacement on a line: at column `col` of the file, `length` characters became `written`.
type Edit = { line: number; col: number; length: number; written: number };

// The text with the values put in, or the problems of its references.
export type EnvResult =
  | {
      ok: true;
      text: string;
      // Where a line and column of the new text were in the file.
      toFile: (line: number, col: number) => [number, number];
      // What each variable was replaced by, for the run's history.
      notes: string[];
    }
  | { ok: false; problems: SuiteProblem[] };

// The [start, end) offsets of the comments in YAML text. The parser finds them even where a `${...}`
// not yet replaced breaks the YAML around it.
const commentRanges = (text: string): [number, number][] => {
  const found: [number, number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'object' && v !== null) {
      const tok = v as { type?: unknown; offset?: unknown; source?: unknown };
      if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string')
        found.push([tok.offset, tok.offset + tok.source.length]);
      for (const x of Object.values(v)) walk(x);
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found;
};

// Maps a position of the new text back to the file, given the edits on its line.
const mapBack = (edits: readonly Edit[], line: number, col: number): [number, number] => {
  let shift = 0;
  for (const e of edits) {
    if (e.line !== line) continue;
    const start = e.col + shift;
    if (col < start) break;
    // Inside a replaced value: the reference it came from.
    if (col < start + e.written) return [line, e.col];
    shift += e.written - e.length;
  }
  return [line, col - shift];
};

// Replaces the references in `text` with values from `env`; every problem at once, each at its
// reference (`file` names it).
export const substituteEnv = (
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): EnvResult => {
  if (!text.includes('${')) return { ok: true, text, toFile: (l, c) => [l, c], notes: [] };
  const comments = commentRanges(text);
  const inComment = (at: number) => comments.some(([a, b]) => at >= a && at < b);
  const problems: SuiteProblem[] = [];
  const edits: Edit[] = [];
  const notes: string[] = [];
  let out = '';
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const problem = (at: number, path: string, message: string) =>
    problems.push({ file, line, col: at - lineStart + 1, path, message });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      out += c;
      line++;
      lineStart = ++i;
      continue;
    }
    const escaped = text.startsWith('$${', i);
    if ((!escaped && !text.startsWith('${', i)) || inComment(i)) {
      out += c;
      i++;
      continue;
    }
    if (escaped) {
      // `$${` is a literal `${`: one character less on this line.
      edits.push({ line, col: i - lineStart + 1, length: 3, written: 2 });
      out += '${';
      i += 3;
      continue;
    }
    const end = text.indexOf('}', i);
    const newline = text.indexOf('\n', i);
    if (end < 0 || (newline >= 0 && newline < end)) {
      problem(i, '${', 'expected ${NAME} or ${NAME:-default}: no } on this line');
      out += c;
      i++;
      continue;
    }
    const ref = text.slice(i, end + 1);
    const inner = ref.slice(2, -1);
    const sep = inner.indexOf(':-');
    const name = sep < 0 ? inner : inner.slice(0, sep);
    const fallback = sep < 0 ? undefined : inner.slice(sep + 2);
    i = end + 1;
    if (!NAME.test(name)) {
      problem(
        i - ref.length,
        ref,
        'expected ${NAME} or ${NAME:-default}, with a NAME of letters, digits and _',
      );
      out += ref;
      continue;
    }
    const set = env[name];
    const value = set !== undefined && (set !== '' || fallback === undefined) ? set : fallback;
    if (value === undefined) {
      problem(
        i - ref.length,
        ref,
        `${name} is not set in the environment and has no default (\${${name}:-VALUE} gives one)`,
      );
      out += ref;
      continue;
    }
    if (/[\r\n]/.test(value)) {
      problem(
        i - ref.length,
        ref,
        `the value of ${name} holds a line break, which would change the suite's structure`,
      );
      out += ref;
      continue;
    }
    edits.push({ line, col: i - ref.length - lineStart + 1, length: ref.length, written: value.length });
    notes.push(
      value === set
        ? `${ref}: ${JSON.stringify(value)} from the environment`
        : `${ref}: its default ${JSON.stringify(value)} (${name} is ${set === undefined ? 'not set' : 'empty'})`,
    );
    out += value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, text: out, toFile: (l, c) => mapBack(edits, l, c), notes: [...new Set(notes)] };
};
