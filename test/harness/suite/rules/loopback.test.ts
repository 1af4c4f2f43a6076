import t from 'tap';
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
