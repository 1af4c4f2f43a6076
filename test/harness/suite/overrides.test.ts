import fc from 'fast-check';
import t from 'tap';
import { formatProblem, loadSuiteText } from '../../../harness/suite/load.ts';
import { applyOverrides, type Override, parseOverride } from '../../../harness/suite/overrides.ts';
import { expandVariants, type SuiteRun } from '../../../harness/suite/variants.ts';

const BASE = `name: burst
target:
  host:
    sharing: { maxPendingAccepts: 2 }
    services: [{ path: /a }]
load:
  - { name: burst, via: /a, model: constant-arrival-rate, rate: 100, duration: 2s }
checks:
  sessions.errorRate: { max: 0.01 }
`;

const runsOf = (text: string): SuiteRun[] => {
  const r = loadSuiteText(text, 'b.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  const x = expandVariants(r.loaded);
  if (!x.ok) throw new Error(x.problems.map(formatProblem).join('\n'));
  return x.runs;
};

const overrides = (...given: string[]): Override[] =>
  given.map((g) => {
    const o = parseOverride(g);
    if (typeof o === 'string') throw new Error(o);
    return o;
  });

const apply = (text: string, ...given: string[]) => {
  const [run] = runsOf(text);
  return applyOverrides(run!, overrides(...given));
};

t.test('PATH=VALUE: a dotted path and a value read as YAML', async (t) => {
  t.same(parseOverride('load.0.rate=300'), { given: 'load.0.rate=300', path: 'load.0.rate', value: 300 });
  t.same(parseOverride('expect=pass'), { given: 'expect=pass', path: 'expect', value: 'pass' });
  t.same(parseOverride('target.host.defects=[]'), {
    given: 'target.host.defects=[]',
    path: 'target.host.defects',
    value: [],
  });
  t.same(parseOverride('description=a=b'), { given: 'description=a=b', path: 'description', value: 'a=b' });
  t.same(parseOverride('name="007"'), { given: 'name="007"', path: 'name', value: '007' });
  t.match(parseOverride('rate'), /^expected PATH=VALUE/);
  t.match(parseOverride('=5'), /^expected PATH=VALUE/);
  t.match(parseOverride('load..rate=5'), /^expected PATH=VALUE/);
  t.match(parseOverride('x=[1'), /^x: the value is not YAML/);
  t.match(parseOverride('variants.0.name=x'), /variants cannot be set from the command line/);
});

t.test('a scalar written as YAML text is read back as the same value', async (t) => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      (v) => {
        const o = parseOverride(`a.b=${JSON.stringify(v)}`);
        return typeof o !== 'string' && o.path === 'a.b' && o.value === v;
      },
    ),
  );
  t.pass('JSON is YAML');
});

t.test('overrides set fields, list items by index and keys that hold dots', async (t) => {
  const r = apply(
    BASE,
    'load.0.rate=300',
    'target.host.sharing.maxPendingAccepts=10',
    'checks.sessions.errorRate.max=0.5',
  );
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  t.match(r.loaded.suite.load[0], { rate: 300 });
  t.equal(r.loaded.suite.target.host?.sharing.maxPendingAccepts, 10);
  t.same(r.loaded.suite.checks['sessions.errorRate'], { max: 0.5, countDropped: true });
  t.match(r.loaded.text, /rate: 300/, 'the text recorded for the run says what ran');
  t.ok(loadSuiteText(r.loaded.text, 'b.yaml').ok, 'and loads again on its own');
});

t.test('a bad value or a missing list item is the override’s problem; another keeps its place', async (t) => {
  const r = apply(BASE, 'load.0.rate=fast', 'load.3.rate=1', 'checks.sessions.errorRate.maxx=1');
  t.notOk(r.ok);
  t.same(r.ok ? [] : r.problems.map(formatProblem), [
    '--set load.3.rate=1: load.3.rate: no list item 3 (the list has 1)',
    '--set load.0.rate=fast: load[0].rate: expected a positive number of sessions per second, got "fast" (string)',
    '--set checks.sessions.errorRate.maxx=1: checks["sessions.errorRate"].maxx: unknown field; did you mean "max"? (expected one of max, countDropped)',
  ]);
  const cross = apply(
    BASE.replace('load:', 'faults:\n  - { kind: recycle, at: 1s, mode: overlapped, path: /a }\nload:'),
    'target.host.services.0.path=/b',
  );
  t.same(
    cross.ok ? [] : cross.problems.map(formatProblem),
    [`b.yaml:7:54 faults[0].path: expected one of the host's service paths (/b), got "/a"`],
    'a rule across fields points at the file',
  );
});

t.test('an override wins over a variant that sets the same field', async (t) => {
  const text = `${BASE}variants:\n  - { name: two, set: { load.0.rate: 2 } }\n  - { name: three, set: { load.0.rate: 3, expect: pass } }\n`;
  const runs = runsOf(text).map((run) => applyOverrides(run, overrides('load.0.rate=7')));
  t.same(
    runs.map((r) => (r.ok ? (r.loaded.suite.load[0] as { rate?: number }).rate : r.problems)),
    [7, 7],
  );
  t.same(
    runs.map((r) => r.ok && r.loaded.variant?.name),
    ['two', 'three'],
    'each run is still its variant',
  );
});
