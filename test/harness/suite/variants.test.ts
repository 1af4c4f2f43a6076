import t from 'tap';
import { formatProblem, loadSuiteText } from '../../../harness/suite/load.ts';
import { expandVariants } from '../../../harness/suite/variants.ts';

const BASE = `name: burst
target:
  host:
    sharing: { maxPendingAccepts: 2, maxPendingConnections: 10 }
    services: [{ path: /a }]
load:
  - { name: burst, via: /a, model: constant-arrival-rate, rate: 100, duration: 2s }
checks:
  sessions.errorRate: { max: 0.01 }
variants:
  - name: accepts-2
    set: {}
  - name: accepts-10
    set:
      target.host.sharing.maxPendingAccepts: 10
      target.host.sharing.maxPendingConnections: 200
      load.0.rate: 150
`;

const expand = (text: string) => {
  const r = loadSuiteText(text, 'b.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return expandVariants(r.loaded);
};

t.test('each variant is the suite with its fields set, named SUITE.VARIANT', async (t) => {
  const r = expand(BASE);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  t.same(
    r.runs.map((x) => x.suite.name),
    ['burst.accepts-2', 'burst.accepts-10'],
  );
  t.same(
    r.runs.map((x) => x.variant),
    [
      { of: 'burst', name: 'accepts-2' },
      { of: 'burst', name: 'accepts-10' },
    ],
  );
  t.equal(r.runs[0]!.suite.target.host?.sharing.maxPendingAccepts, 2);
  t.equal(r.runs[1]!.suite.target.host?.sharing.maxPendingAccepts, 10);
  t.equal(r.runs[1]!.suite.target.host?.sharing.maxPendingConnections, 200);
  t.match(r.runs[1]!.suite.load[0], { rate: 150 });
  // Each variant's text is a plain suite: it loads on its own, without variants.
  const again = loadSuiteText(r.runs[1]!.text, 'b.yaml');
  t.ok(again.ok && again.loaded.suite.variants === undefined);
});

t.test('a suite without variants is one run', async (t) => {
  const r = expand(BASE.slice(0, BASE.indexOf('variants:')));
  t.ok(r.ok && r.runs.length === 1 && r.runs[0]!.variant === undefined);
});

t.test('a bad value in a variant is reported where the variant sets it', async (t) => {
  const r = expand(BASE.replace('maxPendingAccepts: 10', 'maxPendingAccepts: ten'));
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(r.problems.map(formatProblem), [
    'b.yaml:15:7 target.host.sharing.maxPendingAccepts: (variant accepts-10) expected a positive number of accepts running at once, got "ten" (string)',
  ]);
  const past = expand(BASE.replace('load.0.rate: 150', 'load.3.rate: 150'));
  t.match(!past.ok && past.problems.map(formatProblem), [
    /b\.yaml:17:7 variants\[1\]\.set: load\.3\.rate: no list item 3 \(the list has 1\)/,
  ]);
});

t.test('a variant sets a key that holds dots by its dotted path', async (t) => {
  const r = expand(
    BASE.replace('load.0.rate: 150', 'load.0.rate: 150\n      checks.sessions.errorRate.max: 0.5'),
  );
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  t.same(r.runs[1]!.suite.checks['sessions.errorRate'], { max: 0.5, countDropped: true });
  t.same(r.runs[0]!.suite.checks['sessions.errorRate'], { max: 0.01, countDropped: true });
});
