import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { suiteJsonSchemaText } from '../../../harness/suite/json-schema.ts';
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

t.test('a valid suite loads with defaults filled in and durations in ms', async (t) => {
  const r = loadSuiteText(GOOD, 's.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  const s = r.loaded.suite;
  t.equal(s.name, 'smoke');
  t.same(s.target.host?.listen, { host: '127.0.0.1', port: 0 });
  t.equal(s.target.host?.sharing.dispatchTimeoutMs, 5000);
  t.equal(s.target.host?.sharing.maxPendingAccepts, 4);
  t.equal(s.target.host?.sharing.receiveTimeoutMs, 30000, 'default receiveTimeout');
  t.same(s.target.host?.services[0]?.operations, { echo: { latencyMs: 1 } });
  t.match(s.load[0], { model: 'constant-arrival-rate', rate: 50, duration: 10000, maxSessions: 1000 });
  t.match(s.load[0]?.client === 'nettcp' ? s.load[0].session : undefined, {
    calls: 3,
    payload: 256,
    operation: 'echo',
    openTimeout: 5000,
  });
  t.same(s.faults[0], { kind: 'recycle', at: 3000, mode: 'overlapped' });
  t.same(s.checks['handles.noLeak'], { tolerance: 2, settle: 3000, warmup: 10 });
  t.equal(s.expect, 'pass');
});

t.test('every problem is reported at once, each with file, line, column and path', async (t) => {
  const text = GOOD.replace('rate: 50', 'rate: fast')
    .replace('maxPendingAccepts: 4', 'maxPendingAcepts: 4')
    .replace('interval: 100ms', 'interval: 100');
  t.same(problems(text), [
    's.yaml:5:16 target.host.sharing.maxPendingAcepts: unknown field; did you mean "maxPendingAccepts"? (expected one of listenBacklog, maxPendingConnections, maxPendingAccepts, receiveTimeout, dispatchTimeout)',
    's.yaml:13:11 load[0].rate: expected a positive number of sessions per second, got "fast" (string)',
    's.yaml:18:20 probe.interval: expected a positive duration with a unit such as 250ms or 5s (how often the listener probe runs), got 100 (number)',
  ]);
});

t.test('missing fields name the field and point at its parent', async (t) => {
  const p = problems(GOOD.replace('    rate: 50\n', ''));
  t.same(p, [
    's.yaml:10:5 load[0].rate: expected a positive number of sessions per second, got nothing (missing)',
  ]);
  t.match(problems('name: x\nload: []\n'), [/\(suite\)|target: expected/]);
});

t.test('bad YAML is reported with its position', async (t) => {
  const p = problems('name: x\ntarget: { host: [\n');
  t.ok(p.length > 0);
  t.match(p[0], /^s\.yaml:\d+:\d+ \(suite\): YAML: /);
  t.match(problems('name: a\nname: b\n')[0], /YAML: Map keys must be unique/);
  t.match(
    problems('- just\n- a list\n')[0],
    /expected a suite \(a mapping with name, target, load\), got .* \(list\)/,
  );
});

t.test('cross-field rules', async (t) => {
  t.match(problems(GOOD.replace('target:\n  host:', 'target:\n  command: [x]\n  port: auto\n  host:')), [
    /target: expected either host or command, not both/,
  ]);
  t.match(problems(GOOD.replace('expect', 'x').concat('expect: { fail: [latency] }\n')), [
    /expect\.fail\[0\]: expected one of the suite's checks \(listener\.responsive, handles\.noLeak\), got "latency"/,
  ]);
  t.match(problems(GOOD.replace('mode: overlapped', 'signal: SIGHUP')), [
    /faults\[0\]: signal and command recycle a program target/,
  ]);
  t.match(problems(GOOD.replace('via: /orders', 'via: net.tcp://192.0.2.7/orders')), [
    /load\[0\]\.via: expected a loopback host unless allowRemote is true, got "192\.0\.2\.7"/,
  ]);
  t.same(
    problems(GOOD.replace('via: /orders', 'via: net.tcp://192.0.2.7/orders').concat('allowRemote: true\n')),
    [],
  );
  const program = `name: p
target: { command: [node, server.js], port: auto }
load: [{ name: a, via: /x, model: constant-sessions, sessions: 2, duration: 1s }]
`;
  t.match(problems(program), [/target\.command: port: auto hands the program a free port as \{port\}/]);
  t.same(problems(program.replace('server.js]', 'server.js, "{port}"]')), []);
});

t.test('an unknown load model or fault kind lists the known ones', async (t) => {
  t.match(problems(GOOD.replace('constant-arrival-rate', 'poisson')), [
    /load\[0\]\.model: expected a load model: constant-arrival-rate, ramping-arrival-rate or constant-sessions, got "poisson"/,
  ]);
});

t.test('random edits of a suite never throw: they load or report problems', async (t) => {
  fc.assert(
    fc.property(fc.nat(GOOD.length), fc.nat(40), fc.string({ maxLength: 6 }), (at, del, ins) => {
      const text = GOOD.slice(0, at) + ins + GOOD.slice(at + del);
      const r = loadSuiteText(text, 's.yaml');
      return r.ok || (r.problems.length > 0 && r.problems.every((p) => p.line >= 1 && p.col >= 1));
    }),
    { numRuns: 400 },
  );
  t.pass();
});

t.test('schema/suite.schema.json is generated from the validator and up to date', async (t) => {
  const committed = await readFile(new URL('../../../schema/suite.schema.json', import.meta.url), 'utf8');
  t.equal(committed, suiteJsonSchemaText(), 'run npm run schema to regenerate');
});

t.test('an alias to an anchor that does not exist is a YAML problem, not a crash', async (t) => {
  t.same(problems(GOOD.replace('mode: overlapped', 'mode: *nothing')), [
    's.yaml:17:36 (suite): YAML: Unresolved alias (the anchor must be set before the alias): nothing',
  ]);
});

t.test('generators is a number of processes or auto, and absent by default', async (t) => {
  const r = loadSuiteText(GOOD, 's.yaml');
  t.equal(r.ok && r.loaded.suite.generators, undefined);
  const two = loadSuiteText(`${GOOD}generators: 2\n`, 's.yaml');
  t.equal(two.ok && two.loaded.suite.generators, 2);
  const auto = loadSuiteText(`${GOOD}generators: auto\n`, 's.yaml');
  t.equal(auto.ok && auto.loaded.suite.generators, 'auto');
  t.match(problems(`${GOOD}generators: 0\n`), [
    /s\.yaml:22:13 generators: expected a number of load generator processes \(1 to 64\), or auto, got 0 \(number\)/,
  ]);
});
