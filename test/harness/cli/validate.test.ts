import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../../helpers/cli.ts';

const write = async (name: string, text: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const f = join(dir, name);
  await writeFile(f, text);
  return f;
};

t.test('validate accepts the shipped suites', async (t) => {
  const r = await runCli(['validate', 'suites/smoke.yaml']);
  t.equal(r.exitCode, 0, String(r.stderr));
  t.match(
    String(r.stdout),
    /^ok suites\/smoke\.yaml: smoke, 1 load\(s\), 1 fault\(s\), 6 check\(s\), expect pass/,
  );
});

t.test('malformed suites each get a precise error and exit 2, with no stack trace', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['bad-yaml.yaml', 'name: x\nload: [\n', /bad-yaml\.yaml:\d+:\d+ \(suite\): YAML: /],
    [
      'wrong-type.yaml',
      'name: x\ntarget: { host: { services: [{ path: /a }] } }\nload:\n  - { name: a, via: /a, model: constant-sessions, sessions: many, duration: 1s }\n',
      /wrong-type\.yaml:4:61 load\[0\]\.sessions: expected a positive number of concurrent sessions, got "many" \(string\)/,
    ],
    [
      'unknown-key.yaml',
      'name: x\ntarget: { host: { services: [{ path: /a }] } }\nload:\n  - { name: a, via: /a, model: constant-sessions, sessions: 1, duration: 1s }\nprobes: {}\n',
      /unknown-key\.yaml:5:1 probes: unknown field; did you mean "probe"\?/,
    ],
    [
      'missing.yaml',
      'name: x\ntarget: { host: { services: [{ path: /a }] } }\n',
      /missing\.yaml:1:1 load: expected a list of loads, got nothing \(missing\)/,
    ],
  ];
  for (const [name, text, message] of cases) {
    const r = await runCli(['validate', await write(name, text)]);
    t.equal(r.exitCode, 2, name);
    t.match(String(r.stderr), message, name);
    t.notMatch(String(r.stderr), /\n\s+at /, `${name}: no stack trace`);
  }
  // run refuses the same way, before starting anything.
  const r = await runCli(['run', await write('wrong.yaml', 'name: 1 2\n')]);
  t.equal(r.exitCode, 2);
});

t.test('a YAML syntax error is printed once, at its line and column, exit 2', async (t) => {
  const f = await write(
    'indent.yaml',
    'name: x\ntarget:\n  host:\n    services:\n      - path: /orders\nload:\n  - name: a\n    via: /orders\n    model: constant-sessions\n   sessions: 1\n',
  );
  const r = await runCli(['validate', f]);
  t.equal(r.exitCode, 2);
  t.equal(
    String(r.stderr),
    `${f}:10:4 (suite): YAML: Sequence item without - indicator (MISSING_CHAR; is this line indented less than the keys of the list item above?)`,
  );
});
