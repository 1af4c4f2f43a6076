import t from 'tap';
import { httpRules } from '../../../../harness/load/clients/http-rules.ts';

const messages = (raw: Record<string, unknown>) =>
  httpRules(raw).map((i) => `${i.path.join('.')}: ${i.message}`);

const program = { command: ['node', 's.js', '{port}', '{httpPort}'], port: 'auto', httpPort: 'auto' };
const load = (fields: Record<string, unknown>) => ({
  name: 'h',
  client: 'http',
  model: 'constant-arrival-rate',
  ...fields,
});

t.test('an HTTP load sends a SOAP call or a plain request, not both, not neither', async (t) => {
  t.same(messages({ target: program, load: [load({ soap: {} })] }), []);
  t.same(messages({ target: program, load: [load({ request: {} })] }), []);
  t.match(messages({ target: program, load: [load({ soap: {}, request: {} })] }), [
    'load.0.request: expected either soap (a SOAP call) or request (a plain request), not both',
  ]);
  t.match(messages({ target: program, load: [load({})] }), [/^load\.0: expected soap .* or request/]);
  t.same(messages({ target: program, load: [{ name: 'n', via: '/a' }] }), [], 'net.tcp loads are not its');
});

t.test('a relative url (or none) needs a target that serves HTTP', async (t) => {
  const host = { host: { services: [{ path: '/a' }] } };
  t.match(messages({ target: host, load: [load({ url: '/b', soap: {} })] }), [
    /^load\.0\.url: the reference host serves no HTTP/,
  ]);
  t.match(messages({ target: host, load: [load({ soap: {} })] }), [
    /^load\.0: the reference host serves no HTTP: .*, or url: with one/,
  ]);
  const noHttp = { command: ['node', 's.js', '{port}'], port: 'auto' };
  t.match(messages({ target: noHttp, load: [load({ url: '/b', soap: {} })] }), [
    /^load\.0\.url: a relative url resolves against the target's HTTP address: set target\.httpPort/,
  ]);
  t.match(messages({ target: noHttp, probe: { url: '/b' }, load: [] }), [/^probe\.url: a relative url/]);
  t.same(messages({ target: host, load: [load({ url: 'http://127.0.0.1:9/b', soap: {} })] }), []);
});

t.test('an absolute url stays on loopback unless the suite allows remote load', async (t) => {
  const far = load({ url: 'http://192.0.2.7:80/x', soap: {} });
  t.match(messages({ target: program, load: [far] }), [
    'load.0.url: expected a loopback host unless allowRemote is true, got "192.0.2.7"',
  ]);
  t.same(messages({ target: program, allowRemote: true, load: [far] }), []);
  t.same(messages({ target: program, load: [load({ url: 'http://localhost:80/x', soap: {} })] }), []);
  t.same(messages({ target: program, load: [load({ url: 'http://[::1]:80/x', soap: {} })] }), []);
});

t.test("a closed model's connections are its sessions: connections is refused there", async (t) => {
  t.match(
    messages({ target: program, load: [load({ model: 'constant-sessions', connections: 4, soap: {} })] }),
    [/^load\.0\.connections: constant-sessions opens one connection per session/],
  );
  t.same(messages({ target: program, load: [load({ connections: 4, soap: {} })] }), [], 'open: its pool');
});
