import t from 'tap';
import { resolveHostConfig } from '../../../host/config-input.ts';
import { formatProblem, loadSuiteText, validateYaml } from '../../../harness/suite/load.ts';
import { hostSchema } from '../../../harness/suite/host-schema.ts';

const suite = (services: string, extra = ''): string => `name: forward
${extra}target:
  host:
    services:
${services}
load:
  - { name: l, via: /orders, model: constant-arrival-rate, rate: 1, duration: 1s }
`;

const problems = (text: string): string[] => {
  const r = loadSuiteText(text, 's.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

t.test('forward: a net.tcp address, or the long form with via and connectTimeout', async (t) => {
  const r = loadSuiteText(
    suite(`      - { path: /orders, forward: "net.tcp://127.0.0.1:9000/orders" }
      - path: /billing
        forward: { to: "net.tcp://localhost:9001/svc", via: rewrite, connectTimeout: 2s }
      - { path: /local, throttle: { maxConcurrentCalls: 4 } }`),
    's.yaml',
  );
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  const [orders, billing, local] = r.loaded.suite.target.host!.services;
  t.same(orders!.forward, { to: 'net.tcp://127.0.0.1:9000/orders', via: 'pass', connectTimeoutMs: 5000 });
  t.same(billing!.forward, { to: 'net.tcp://localhost:9001/svc', via: 'rewrite', connectTimeoutMs: 2000 });
  t.equal(local!.forward, undefined);
  // What the host process is given passes its own checks.
  t.doesNotThrow(() => resolveHostConfig(JSON.parse(JSON.stringify(r.loaded.suite.target.host))));
});

t.test("a service has a worker's settings or forward, not both: said where it is written", async (t) => {
  t.same(
    problems(
      suite(`      - path: /orders
        forward: net.tcp://127.0.0.1:9000/orders
        throttle: { maxConcurrentCalls: 4 }
        activation: { delay: 1s }`),
    ),
    [
      's.yaml:7:9 target.host.services[0].throttle: throttle goes with a service run by a worker, not one that forwards to an upstream (forward is set); remove one of them',
      's.yaml:8:9 target.host.services[0].activation: activation goes with a service run by a worker, not one that forwards to an upstream (forward is set); remove one of them',
    ],
  );
});

t.test('a bad address or via mode, and an upstream outside loopback, are refused', async (t) => {
  t.match(
    problems(
      suite(`      - { path: /a, forward: "http://127.0.0.1/a" }
      - { path: /b, forward: { to: "net.tcp://127.0.0.1:1/b", via: sideways } }`),
    ),
    [
      /^s\.yaml:5:\d+ target\.host\.services\[0\]\.forward: expected an upstream net\.tcp address such as net\.tcp:\/\/127\.0\.0\.1:9000\/orders, got "http:\/\/127\.0\.0\.1\/a" \(string\)$/,
      /^s\.yaml:6:\d+ target\.host\.services\[1\]\.forward: expected an upstream net\.tcp address .*, got \{"to":"net\.tcp:\/\/127\.0\.0\.1:1\/b","via":"sideways"\} \(mapping\)$/,
    ],
  );
  t.match(problems(suite('      - { path: /a, forward: "net.tcp://10.1.2.3:9000/a" }')), [
    /target\.host\.services\[0\]\.forward: expected a loopback upstream \(127\.0\.0\.0\/8, ::1 or localhost\) unless allowRemote is true, got "net\.tcp:\/\/10\.1\.2\.3:9000\/a"/,
  ]);
});

t.test('a remote upstream needs allowRemote on the host and on the suite', async (t) => {
  const remote = '      - { path: /a, forward: "net.tcp://10.1.2.3:9000/a" }';
  const withHostAllow = suite(remote).replace('  host:\n', '  host:\n    allowRemote: true\n');
  t.same(problems(withHostAllow), [
    's.yaml:4:18 target.host.allowRemote: the host may forward outside loopback only when the suite sets allowRemote: true as well',
  ]);
  const both = suite(remote, 'allowRemote: true\n').replace('  host:\n', '  host:\n    allowRemote: true\n');
  t.same(problems(both), []);
  const r = loadSuiteText(both, 's.yaml');
  t.equal(r.ok && r.loaded.suite.target.host!.allowRemote, true);
});

t.test('the host configuration file (host --config) takes forward the same way', async (t) => {
  const r = validateYaml(
    'services:\n  - { path: /orders, forward: "net.tcp://127.0.0.1:9000/orders" }\n',
    'host.yaml',
    hostSchema,
    'a host configuration',
  );
  t.match(r, { ok: true, value: { services: [{ path: '/orders', forward: { via: 'pass' } }] } });
});

t.test('a listen address that is not HOST:PORT is a problem at the field, not a crash', async (t) => {
  for (const listen of ['"127.0.0.1 :0"', '"127.0.0.1"', '":80"', '"127.0.0.1:99999"']) {
    const text = suite('      - { path: /orders }').replace('  host:\n', `  host:\n    listen: ${listen}\n`);
    t.match(problems(text), [/^s\.yaml:4:13 target\.host\.listen: expected /], listen);
  }
});
