import fc from 'fast-check';
import t from 'tap';
import { CLIENTS, clientOf, DEFAULT_CLIENT, loadSchema } from '../../../../harness/load/clients/index.ts';
import { formatProblem, loadSuiteText } from '../../../../harness/suite/load.ts';
import { MODELS } from '../../../../harness/load/models/index.ts';

const suite = (load: string) =>
  `name: t\ntarget: { command: [x, "{port}", "{httpPort}"], port: auto, httpPort: auto }\nload:\n${load}`;

const problems = (load: string): string[] => {
  const r = loadSuiteText(suite(load), 's.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

t.test('a load without client: is a net.tcp load; client: http takes the HTTP fields', async (t) => {
  const r = loadSuiteText(
    suite(
      '  - { name: n, via: /a, model: constant-sessions, sessions: 1, duration: 1s }\n' +
        '  - { name: h, client: http, url: /b, model: constant-arrival-rate, rate: 5, duration: 1s, soap: { version: 1.2, operation: Echo } }\n',
    ),
    's.yaml',
  );
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  const [n, h] = r.loaded.suite.load;
  t.equal(DEFAULT_CLIENT, 'nettcp');
  t.match(n, { client: 'nettcp', via: '/a', session: { calls: 1 } });
  t.match(h, {
    client: 'http',
    url: '/b',
    soap: { version: '1.2', operation: 'Echo', params: {} },
    payload: 64,
    pipelining: 1,
    timeout: 5000,
    maxSessions: 1000,
  });
  t.equal(clientOf(h!).name, 'http');
  t.same([...CLIENTS.keys()], ['nettcp', 'http']);
});

t.test("each client's fields are its own: the other's are unknown, with what was meant", async (t) => {
  t.match(problems('  - { name: n, url: /a, model: constant-sessions, sessions: 1, duration: 1s }\n'), [
    /^s\.yaml:4:5 load\[0\]\.via: expected a path such as \/orders, or a net\.tcp:\/\/ URL, got nothing/,
    /^s\.yaml:4:16 load\[0\]\.url: unknown field .*expected one of .*via.*session/,
  ]);
  t.match(
    problems(
      '  - name: h\n    client: http\n    via: /a\n    model: constant-sessions\n    sessions: 1\n    duration: 1s\n    request: { methd: GET }\n',
    ),
    [
      /^s\.yaml:6:5 load\[0\]\.via: unknown field \(expected one of .*url.*\)/,
      /^s\.yaml:10:16 load\[0\]\.request\.methd: unknown field; did you mean "method"\?/,
    ],
  );
  t.match(problems('  - { name: h, client: htp, model: constant-sessions }\n'), [
    /load\[0\]\.client: expected a load client: nettcp or http, got "htp"/,
  ]);
  t.match(problems('  - { name: h, client: http, model: closed, request: {} }\n'), [
    /load\[0\]\.model: expected a load model: .*, got "closed"/,
  ]);
});

t.test('every client takes every model', async (t) => {
  for (const client of CLIENTS.keys())
    for (const model of MODELS.keys()) {
      const probe = loadSchema.safeParse({ name: 'x', client, model });
      // Missing fields, but never an unknown client or model.
      const paths = probe.error?.issues.map((i) => i.path.join('.')) ?? [];
      t.notOk(paths.includes('client') || paths.includes('model'), `${client} ${model}`);
    }
});

t.test('random loads never throw: they parse or give issues', async () => {
  fc.assert(
    fc.property(
      fc.record(
        {
          name: fc.string(),
          client: fc.constantFrom('nettcp', 'http', 'x', 1),
          model: fc.constantFrom(...MODELS.keys(), 'y'),
          url: fc.oneof(fc.constant('/a'), fc.string()),
          via: fc.string(),
          soap: fc.anything(),
          request: fc.anything(),
          rate: fc.anything(),
          sessions: fc.anything(),
          duration: fc.constantFrom('1s', 'x', 5),
        },
        { requiredKeys: [] },
      ),
      (raw) => {
        const r = loadSchema.safeParse(raw);
        return r.success || r.error.issues.length > 0;
      },
    ),
    { numRuns: 500 },
  );
});
