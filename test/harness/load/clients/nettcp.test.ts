import t from 'tap';
import { nettcpClient } from '../../../../harness/load/clients/nettcp.ts';
import { loadSuiteText } from '../../../../harness/suite/load.ts';
import type { ParsedSuite } from '../../../../harness/suite/schema.ts';
import { startEchoEndpoint } from '../../../../host/echo-endpoint.ts';

const parse = (yaml: string): ParsedSuite => {
  const r = loadSuiteText(yaml, 's.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite;
};
const TARGET = 'target: { command: [x, "{port}", "{httpPort}"], port: auto, httpPort: auto }';
const HTTP =
  '{ name: h, client: http, url: /h, model: constant-sessions, sessions: 1, duration: 1s, request: {} }';
const NETTCP = '{ name: n, via: /n, model: constant-sessions, sessions: 1, duration: 1s }';

t.test(
  "it probes the probe's via, else the ready via, else its first load's; none without one",
  async (t) => {
    t.equal(nettcpClient.probeAddress(parse(`name: s\n${TARGET}\nload: [${HTTP}, ${NETTCP}]\n`)), '/n');
    t.equal(
      nettcpClient.probeAddress(parse(`name: s\n${TARGET}\nload: [${NETTCP}]\nprobe: { via: /p }\n`)),
      '/p',
    );
    t.equal(
      nettcpClient.probeAddress(
        parse(
          `name: s\ntarget: { command: [x, "{port}"], port: auto, ready: { via: /r } }\nload: [${NETTCP}]\n`,
        ),
      ),
      '/r',
    );
    t.equal(nettcpClient.probeAddress(parse(`name: s\n${TARGET}\nload: [${HTTP}]\n`)), undefined);
  },
);

t.test('its probe opens a session to the via on the target, named by the via it sends', async (t) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const port = Number(new URL(echo.url('/a')).port);
  const probe = nettcpClient.prober('/a', {
    target: { host: '127.0.0.1', port },
    calls: 1,
    allowRemote: false,
    loads: [],
  });
  t.equal(probe.listener, `net.tcp://127.0.0.1:${port}/a`);
  t.match(await probe.once(2000), { ok: true });
});

t.test('a plan line says where the sessions go and what each sends', async (t) => {
  const s = parse(
    `name: s\n${TARGET}\nload:\n  - { name: n, via: /n, model: constant-sessions, sessions: 1, duration: 1s, session: { calls: 3, payload: 10, soap: { operation: Echo } } }\n`,
  );
  const l = s.load[0]!;
  t.equal(
    l.client === 'nettcp' ? nettcpClient.describe(l) : '',
    'via /n; each session 3 SOAP Echo call(s) of 10 bytes',
  );
});
