// `--set PATH=VALUE`: a field of every run set from the command line, as a variant's `set` does
// (dotted paths, list items by index: `load.0.rate=300`), the value read as YAML (`300` a number,
// `pass` a word, `[]` an empty list). Applied to each run last, so it wins over a variant's own `set`.

import { parseDocument } from 'yaml';
import { formatPath, loadSuiteDocument, parseYaml, type SuiteProblem } from './load.ts';
import { missingItem, resolveSetPath, type SuiteRun } from './variants.ts';

// One --set as given, and its path and value.
export type Override = { given: string; path: string; value: unknown };

// Reads `PATH=VALUE`; a string says what is wrong with it.
export const parseOverride = (given: string): Override | string => {
  const eq = given.indexOf('=');
  const path = eq < 0 ? '' : given.slice(0, eq).trim();
  if (eq < 0 || path === '' || path.split('.').some((p) => p === ''))
    return `expected PATH=VALUE (a dotted path such as load.0.rate=300), got ${JSON.stringify(given)}`;
  if (path === 'variants' || path.startsWith('variants.'))
    return `${path}: variants cannot be set from the command line (set the fields they change instead)`;
  const doc = parseDocument(given.slice(eq + 1), { prettyErrors: false });
  if (doc.errors.length > 0)
    return `${path}: the value is not YAML (${doc.errors[0]!.message.split('\n')[0]}); quote it in the shell`;
  return { given, path, value: doc.toJS() as unknown };
};

// The run with every override set and validated again. A problem in a field an override set is the
// override's (named `--set PATH=VALUE`); any other keeps its place in the run's text.
export const applyOverrides = (
  run: SuiteRun,
  overrides: readonly Override[],
): { ok: true; loaded: SuiteRun } | { ok: false; problems: SuiteProblem[] } => {
  if (overrides.length === 0) return { ok: true, loaded: run };
  const parsed = parseYaml(run.text, run.file);
  if (!parsed.ok) return parsed;
  const { doc, lc } = parsed;
  const problems: SuiteProblem[] = [];
  const set: { o: Override; where: string }[] = [];
  for (const o of overrides) {
    const path = resolveSetPath(doc, o.path);
    const missing = missingItem(doc, path);
    if (missing !== undefined) {
      problems.push({ file: `--set ${o.given}`, line: 0, col: 0, path: o.path, message: missing });
      continue;
    }
    doc.setIn(path, doc.createNode(o.value));
    set.push({ o, where: formatPath(path) });
  }
  const r = loadSuiteDocument(doc, lc, doc.toString(), run.file);
  if (r.ok && problems.length === 0) return { ok: true, loaded: { ...run, ...r.loaded } };
  return {
    ok: false,
    problems: [...problems, ...(r.ok ? [] : r.problems)].map((p) => {
      if (p.line > 0 || p.file !== run.file) return p;
      const by = set.find(
        ({ where }) => p.path === where || p.path.startsWith(`${where}.`) || p.path.startsWith(`${where}[`),
      );
      return { ...p, file: `--set ${(by ?? set[0]!).o.given}` };
    }),
  };
};
