import t from 'tap';
import { formatProblem, loadSuiteText } from '../../../../harness/suite/load.ts';
import { loopbackRules } from '../../../../harness/suite/rules/loopback.ts';

const paths = (raw: Record<string, unknown>) => loopbackRules(raw).map((i) => i.path.join('.'));

t.test('absolute vias and the listen address stay on loopback unless allowRemote', async (t) => {
  const raw = {
    target: { host: { listen: '10.0.0.5:808' } },
    load: [{ via: 'net.tcp://example.com/a' }, { via: '/a' }, { via: 'net.tcp://127.0.0.2:9/a' }],
    probe: { via: 'net.tcp://[::1]:9/a' },
  };
  t.same(paths(raw), ['target.host.listen', 'load.0.via']);
  t.same(paths({ ...raw, allowRemote: true }), []);
  t.same(paths({ target: { host: { listen: 'localhost:0' } } }), []);
});

t.test("a host that may forward outside loopback needs the suite's allowRemote too", async (t) => {
  t.same(paths({ target: { host: { allowRemote: true } } }), ['target.host.allowRemote']);
  t.same(paths({ allowRemote: true, target: { host: { allowRemote: true } } }), []);
});

t.test('vias that do not parse are left to the schema', async (t) => {
  t.same(paths({ load: [{ via: 'net.tcp://exa mple/a' }, { via: 42 }] }), []);
});

t.test('a remote target outside loopback needs allowRemote, reported at its line and column', async (t) => {
  const text = [
    'name: far',
    'target:',
    '  remote: { url: net.tcp://winhost:808/ }',
    'load:',
    '  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 5, duration: 2s }',
    '',
  ].join('\n');
  const r = loadSuiteText(text, 'far.yaml');
  t.same(r.ok ? [] : r.problems.map(formatProblem), [
    'far.yaml:3:18 target.remote.url: expected a loopback host unless allowRemote is true (a remote target on another machine needs allowRemote: true), got "winhost"',
  ]);
  t.ok(loadSuiteText(`allowRemote: true\n${text}`, 'far.yaml').ok);
});
