import fc from 'fast-check';
import t from 'tap';
import { formatProblem, loadSuiteText } from '../../../harness/suite/load.ts';

const GOOD = `name: smoke
seed: 7
target:
  host:
    sharing: { maxPendingAccepts: 4, dispatchTimeout: 5s }
    services:
      - path: /orders
        operations: { echo: { latency: 1ms } }
load:
  - name: steady
    via: /orders
    model: constant-arrival-rate
    rate: 50
    duration: 10s
    session: { calls: 3, payload: 256 }
faults:
  - { kind: recycle, at: 3s, mode: overlapped }
probe: { interval: 100ms }
checks:
  listener.responsive: { maxGap: 1s }
  handles.noLeak: {}
`;

const problems = (text: string): string[] => {
  const r = loadSuiteText(text, 's.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

t.test('each kind of syntax error is reported once, at its own line and column', async (t) => {
  t.same(problems(GOOD.replace('    duration: 10s\n', '    duration: 10s\n    rate: 60\n')), [
    's.yaml:15:5 (suite): YAML: Map keys must be unique (DUPLICATE_KEY)',
  ]);
  t.same(problems(GOOD.replace('    duration: 10s', '\tduration: 10s')), [
    's.yaml:14:1 (suite): YAML: Tabs are not allowed as indentation (TAB_AS_INDENT)',
  ]);
  t.same(
    problems(GOOD.replace('name: smoke', 'name: "smoke')),
    ['s.yaml:1:7 (suite): YAML: Missing closing "quote (MISSING_CHAR)'],
    'an unclosed quote is shown where it opened, not where the file ends',
  );
  t.same(problems(GOOD.replace('via: /orders', "via: '/orders")), [
    "s.yaml:11:10 (suite): YAML: Missing closing 'quote (MISSING_CHAR)",
  ]);
  t.same(
    problems(GOOD.replace('{ interval: 100ms }', '{ interval: 100ms')),
    [
      's.yaml:18:8 (suite): YAML: Flow map in block collection must be sufficiently indented and end with a } (BAD_INDENT)',
    ],
    'an unclosed { is shown where it opened',
  );
});

t.test('a bad indent is reported where the parser finds it, with what it usually means', async (t) => {
  t.same(problems(GOOD.replace('target:\n  host:\n', 'target:\n  host:\n   services: []\n')), [
    's.yaml:6:5 (suite): YAML: All mapping items must start at the same column (BAD_INDENT; also at 7:5)',
  ]);
  t.same(problems(GOOD.replace('    rate: 50', '      rate: 50')), [
    's.yaml:12:12 (suite): YAML: Nested mappings are not allowed in compact mappings (BLOCK_AS_IMPLICIT_KEY; is the line below indented deeper than the keys beside it, or does a value hold an unquoted ": "?)',
  ]);
  t.same(
    problems(GOOD.replace('    rate: 50', '   rate: 50'))[0],
    [
      's.yaml:13:4 (suite): YAML: Sequence item without - indicator (MISSING_CHAR; is this line indented less than the keys of the list item above?)',
    ][0],
  );
});

t.test('several mistakes in one file: each on its own line, in the order of the file', async (t) => {
  t.same(
    problems(GOOD.replace('seed: 7', 'seed: 7\nseed: 8').replace('    duration: 10s', '\tduration: 10s')),
    [
      's.yaml:3:1 (suite): YAML: Map keys must be unique (DUPLICATE_KEY)',
      's.yaml:15:1 (suite): YAML: Tabs are not allowed as indentation (TAB_AS_INDENT)',
    ],
  );
  t.same(
    problems(
      GOOD.replace('  - name: steady', '  - name: steady\n    name: again').replace(
        'rate: 50',
        'rate: 50\n    rate: 5',
      ),
    ),
    ['s.yaml:11:5 (suite): YAML: Map keys must be unique (DUPLICATE_KEY; also at 15:5)'],
    'the same error again is listed with the first',
  );
});

t.test('after a stray bracket, every following unexpected token is one problem', async (t) => {
  t.same(problems(GOOD.replace('name: smoke', 'name: }smoke')), [
    's.yaml:1:7 (suite): YAML: Unexpected flow-map-end token in YAML stream: "}" (UNEXPECTED_TOKEN; also at 2:1, 3:1, 4:3, 5:5, 6:5, and 15 more)',
  ]);
});

// Where a problem may point: a line of the text, a column on it (or just past its end).
const inside = (text: string, line: number, col: number): boolean => {
  const lines = text.split('\n');
  return line >= 1 && line <= lines.length && col >= 1 && col <= lines[line - 1]!.length + 1;
};

t.test('whatever is typed into a suite, syntax errors point inside it, at most one per line', async (t) => {
  fc.assert(
    fc.property(
      fc.nat(GOOD.length),
      fc.nat(8),
      fc.array(fc.constantFrom(' ', '\t', '"', "'", '{', '}', '[', ']', ':', '-', '\n', '#', '&', '*', 'x'), {
        maxLength: 4,
      }),
      (at, del, ins) => {
        const text = GOOD.slice(0, at) + ins.join('') + GOOD.slice(at + del);
        const r = loadSuiteText(text, 's.yaml');
        if (r.ok) return true;
        const syntax = r.problems.filter((p) => p.message.startsWith('YAML: '));
        const lines = syntax.map((p) => p.line);
        return (
          syntax.every((p) => inside(text, p.line, p.col)) &&
          new Set(lines).size === lines.length &&
          new Set(syntax.map((p) => p.message)).size === syntax.length
        );
      },
    ),
    { numRuns: 500 },
  );
  t.pass('every syntax problem points inside the text, once');
});
