import t from 'tap';
import { targetRules } from '../../../../harness/suite/rules/target.ts';

const messages = (raw: Record<string, unknown>) =>
  targetRules(raw).map((i) => `${i.path.join('.')}: ${i.message}`);

t.test('a target names exactly one kind', async (t) => {
  t.match(messages({ target: { host: {}, command: ['x'], port: 1 } }), [
    'target: expected either host or command, not both',
  ]);
  t.match(messages({ target: {} }), [/^target: expected host .*, command .* or remote .*, got none/]);
  t.match(messages({ target: { remote: { url: 'net.tcp://127.0.0.1:808/' }, command: ['x'] } }), [
    'target: expected either command or remote, not both',
  ]);
  t.same(messages({}), [], 'no target block: the schema reports it');
});

t.test("a command's fields on a remote target are refused, as keys", async (t) => {
  const issues = targetRules({
    target: { remote: { url: 'net.tcp://127.0.0.1:808/' }, port: 4000, stop: {} },
  });
  t.same(
    issues.map((i) => [i.path.join('.'), i.key, /neither starts nor stops a remote one/.test(i.message)]),
    [
      ['target.port', true, true],
      ['target.stop', true, true],
    ],
  );
});

t.test("a command's fields on the host are refused, as keys", async (t) => {
  const issues = targetRules({ target: { host: { services: [{ path: '/a' }] }, port: 4000, env: {} } });
  t.same(
    issues.map((i) => [i.path.join('.'), i.key]),
    [
      ['target.port', true],
      ['target.env', true],
    ],
  );
});

t.test('a command needs a port, and port: auto needs {port} somewhere', async (t) => {
  t.match(messages({ target: { command: ['node', 's.js'] } }), [/^target: expected port/]);
  t.match(messages({ target: { command: ['node', 's.js'], port: 'auto' } }), [
    /no argument or env value contains \{port\}/,
  ]);
  t.same(messages({ target: { command: ['node', 's.js', '{port}'], port: 'auto' } }), []);
  t.same(messages({ target: { command: ['node', 's.js'], port: 'auto', env: { PORT: '{port}' } } }), []);
  t.same(messages({ target: { command: ['node', 's.js'], port: 9000 } }), [], 'a fixed port needs no {port}');
});

t.test('httpPort: auto needs {httpPort}, {httpPort} needs httpPort, and it may stand alone', async (t) => {
  t.match(messages({ target: { command: ['node', 's.js', '{port}'], port: 'auto', httpPort: 'auto' } }), [
    /no argument or env value contains \{httpPort\}/,
  ]);
  t.match(messages({ target: { command: ['node', 's.js', '{port}', '{httpPort}'], port: 'auto' } }), [
    /^target\.command: \{httpPort\} stands for target\.httpPort, which is not set/,
  ]);
  t.same(
    messages({ target: { command: ['node', 's.js', '{httpPort}'], httpPort: 'auto' } }),
    [],
    'HTTP only',
  );
  t.same(messages({ target: { command: ['node', 's.js'], httpPort: 8080 } }), []);
  t.match(
    targetRules({ target: { host: { services: [{ path: '/a' }] }, httpPort: 1 } }).map((i) =>
      i.path.join('.'),
    ),
    ['target.httpPort'],
  );
});

t.test("the host block's own cross-field rules are reported under target.host", async (t) => {
  const issues = targetRules({
    target: { host: { services: [{ path: '/a', forward: 'net.tcp://127.0.0.1:1/a', throttle: {} }] } },
  });
  t.ok(issues.length > 0);
  t.ok(issues.every((i) => i.path[0] === 'target' && i.path[1] === 'host'));
});
