// Variants: one suite file that runs several times with some fields set otherwise (the same burst
// against maxPendingAccepts 2 and 10), each run named SUITE.VARIANT and reported side by side.
// The variant is applied to the YAML document itself, so each variant's text is an ordinary suite
// (its history can be re-rendered alone) and its problems point back at the variant's `set` entry.

import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { formatPath, type LoadedSuite, type LoadResult, loadSuiteText, type SuiteProblem } from './load.ts';

// A run of a suite: the suite itself or one of its variants, with notes for its history (overrides).
export type SuiteRun = LoadedSuite & { variant?: { of: string; name: string }; notes?: string[] };

export type RunsResult = { ok: true; runs: SuiteRun[] } | { ok: false; problems: SuiteProblem[] };

// A dotted path (`load.0.rate`) as keys and list indexes. A key that itself holds dots
// (`checks.listener.responsive.maxGap`) is taken whole when the document has it.
export const resolveSetPath = (doc: Document, dotted: string): (string | number)[] => {
  const parts = dotted.split('.');
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let i = 0; i < parts.length;) {
    if (isMap(node)) {
      let j = parts.length;
      for (; j > i + 1; j--) if (node.has(parts.slice(i, j).join('.'))) break;
      const key = parts.slice(i, j).join('.');
      const k: string | number = j === i + 1 && /^\d+$/.test(key) && !node.has(key) ? Number(key) : key;
      path.push(k);
      node = node.get(k, true);
      i = j;
    } else {
      const part = parts[i]!;
      const k = /^\d+$/.test(part) ? Number(part) : part;
      path.push(k);
      node = isSeq(node) && typeof k === 'number' ? node.items[k] : undefined;
      i++;
    }
  }
  return path;
};

// The first list index on a path that is past its list's end, in words; undefined when there is none.
export const missingItem = (doc: Document, path: readonly (string | number)[]): string | undefined => {
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (typeof k !== 'number') continue;
    const list = i === 0 ? doc.contents : doc.getIn(path.slice(0, i), true);
    if (isSeq(list) && k >= list.items.length) return `no list item ${k} (the list has ${list.items.length})`;
  }
  return undefined;
};

// Where a `set` entry stands in the original file.
const setEntryPosition = (doc: Document, lc: LineCounter, variant: number, key: string): [number, number] => {
  const set = doc.getIn(['variants', variant, 'set'], true);
  const pair = isMap(set)
    ? set.items.find((p) => (p.key as { value?: unknown } | null)?.value === key)
    : undefined;
  const offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0] ?? 0;
  const p = lc.linePos(offset);
  return [p.line, p.col];
};

// Expands a validated suite into its runs: itself, or one run per variant.
export const expandVariants = (loaded: LoadedSuite): RunsResult => {
  const variants = loaded.suite.variants;
  if (variants === undefined || variants.length === 0) return { ok: true, runs: [loaded] };
  const lc = new LineCounter();
  const original = parseDocument(loaded.text, { lineCounter: lc });
  const runs: SuiteRun[] = [];
  const problems: SuiteProblem[] = [];
  variants.forEach((v, i) => {
    const doc = original.clone();
    doc.deleteIn(['variants']);
    doc.setIn(['name'], `${loaded.suite.name}.${v.name}`);
    const paths = new Map<string, (string | number)[]>();
    for (const [key, value] of Object.entries(v.set)) {
      const path = resolveSetPath(doc, key);
      paths.set(key, path);
      // A list index past the end would silently grow the list; refuse it instead.
      const missing = missingItem(doc, path);
      if (missing !== undefined) {
        const [line, col] = setEntryPosition(original, lc, i, key);
        problems.push({
          file: loaded.file,
          line,
          col,
          path: `variants[${i}].set`,
          message: `${key}: ${missing}`,
        });
        continue;
      }
      doc.setIn(path, doc.createNode(value));
    }
    const text = doc.toString();
    const r: LoadResult = loadSuiteText(text, loaded.file);
    if (r.ok) {
      runs.push({ ...r.loaded, variant: { of: loaded.suite.name, name: v.name } });
      return;
    }
    for (const p of r.problems) {
      // A problem in a field the variant set is shown where the variant sets it.
      const key = Object.keys(v.set).find((k) => {
        const f = formatPath(paths.get(k) ?? [k]);
        return p.path === f || p.path.startsWith(`${f}.`) || p.path.startsWith(`${f}[`);
      });
      const [line, col] = key === undefined ? [p.line, p.col] : setEntryPosition(original, lc, i, key);
      problems.push({ ...p, line, col, message: `(variant ${v.name}) ${p.message}` });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, runs };
};
