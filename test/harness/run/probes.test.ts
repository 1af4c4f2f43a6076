import t from 'tap';
import { listenerProbes } from '../../../harness/run/probes.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';

const probesOf = (yaml: string) => {
  const r = loadSuiteText(yaml, 's.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return listenerProbes(r.loaded.suite, { host: '127.0.0.1', port: 808, httpPort: 8080 }).map(
    (p) => p.listener,
  );
};
const TARGET = 'target: { command: [x, "{port}", "{httpPort}"], port: auto, httpPort: auto }';
const HTTP =
  '{ name: h, client: http, url: /h, model: constant-sessions, sessions: 1, duration: 1s, request: {} }';
const NETTCP = '{ name: n, via: /n, model: constant-sessions, sessions: 1, duration: 1s }';

t.test(
  'one probe per client that reaches a listener: the net.tcp one and, beside it, the HTTP one',
  async (t) => {
    t.same(probesOf(`name: s\n${TARGET}\nload: [${NETTCP}]\n`), ['net.tcp://127.0.0.1:808/n']);
    t.same(probesOf(`name: s\n${TARGET}\nload: [${HTTP}]\n`), ['http://127.0.0.1:8080/h']);
    t.same(probesOf(`name: s\n${TARGET}\nload: [${HTTP}, ${NETTCP}]\n`), [
      'net.tcp://127.0.0.1:808/n',
      'http://127.0.0.1:8080/h',
    ]);
    t.same(probesOf(`name: s\n${TARGET}\nload: [${NETTCP}]\nprobe: { via: /p, url: /q }\n`), [
      'net.tcp://127.0.0.1:808/p',
      'http://127.0.0.1:8080/q',
    ]);
  },
);
