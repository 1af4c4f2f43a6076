import t from 'tap';
import { nameRules } from '../../../../harness/suite/rules/names.ts';

const messages = (raw: Record<string, unknown>) =>
  nameRules(raw).map((i) => `${i.path.join('.')}: ${i.message}`);

t.test('load names are unique; the later one is pointed at', async (t) => {
  t.same(messages({ load: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] }), [
    'load.2.name: expected a name no other load has (load[0] is "a")',
  ]);
});

t.test('an expectation names configured checks', async (t) => {
  t.same(messages({ checks: { latency: {} }, expect: { fail: ['latency', 'handles.noLeak'] } }), [
    'expect.fail.1: expected one of the suite\'s checks (latency), got "handles.noLeak"',
  ]);
  t.same(messages({ expect: { fail: ['latency'] } }), [
    'expect.fail.0: expected one of the suite\'s checks (none configured), got "latency"',
  ]);
  t.same(messages({ expect: 'pass' }), []);
});
