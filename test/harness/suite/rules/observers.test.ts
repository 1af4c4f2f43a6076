import t from 'tap';
import { observerRules } from '../../../../harness/suite/rules/observers.ts';

const messages = (raw: Record<string, unknown>) =>
  observerRules(raw).map((i) => `${i.path.join('.')}: ${i.message}`);

t.test('proc is refused on a remote target, saying what observes one', async (t) => {
  t.match(messages({ target: { remote: { url: 'net.tcp://127.0.0.1:808/' } }, observe: { proc: {} } }), [
    /^observe\.proc: proc reads \/proc of processes the harness started .*observe\.prometheus/,
  ]);
  t.same(messages({ target: { command: ['x'] }, observe: { proc: {} } }), []);
});

t.test('an exporter outside loopback needs allowRemote', async (t) => {
  const observe = { prometheus: { scrape: 'http://winhost:9182/metrics', exporter: 'windows_exporter' } };
  t.match(messages({ target: { remote: {} }, observe }), [
    /^observe\.prometheus: expected a loopback host unless allowRemote is true, got "winhost"/,
  ]);
  t.same(messages({ allowRemote: true, target: { remote: {} }, observe }), []);
});
