import t from 'tap';
import { formatProblem, loadSuiteText } from '../../../../harness/suite/load.ts';
import { faultRules } from '../../../../harness/suite/rules/faults.ts';

const host = (services: unknown[]) => ({ target: { host: { services } } });
const messages = (raw: Record<string, unknown>) =>
  faultRules(raw).map((i) => `${i.path.join('.')}: ${i.message}`);

t.test('a fault that needs the proxy wants relative vias everywhere, the ready via included', async (t) => {
  const raw = {
    ...host([{ path: '/a' }]),
    load: [{ via: 'net.tcp://127.0.0.1:9/a' }],
    faults: [{ kind: 'network', at: '1s', duration: '1s', toxic: 'latency', latency: 100 }],
  };
  t.match(messages(raw), [/^load\.0\.via: expected a relative via/]);
  const withReady = {
    ...raw,
    load: [{ via: '/a' }],
    target: { ...raw.target, ready: { via: 'net.tcp://127.0.0.1:9/a' } },
  };
  t.match(messages(withReady), [/^target\.ready\.via: expected a relative via/]);
  t.same(
    messages({ ...raw, faults: [{ kind: 'recycle', at: '1s', path: '/a' }] }),
    [],
    'other faults do not care',
  );
});

t.test("each fault kind's own rules for the target kind", async (t) => {
  t.match(
    messages({
      target: { command: ['x', '{port}'], port: 'auto' },
      faults: [{ kind: 'recycle', at: '1s', mode: 'overlapped' }],
    }),
    [/^faults\.0: overlapped and path recycle the reference host/],
  );
  t.same(
    messages({
      target: { command: ['x', '{port}'], port: 'auto' },
      faults: [{ kind: 'recycle', at: '1s', signal: 'SIGHUP' }],
    }),
    [],
  );
});

t.test("a fault's path names a host service, one with a worker when the fault acts on one", async (t) => {
  const services = [{ path: '/a' }, { path: '/f', forward: 'net.tcp://127.0.0.1:1/f' }];
  t.match(messages({ ...host(services), faults: [{ kind: 'recycle', at: '1s', path: '/zz' }] }), [
    'faults.0.path: expected one of the host\'s service paths (/a, /f), got "/zz"',
  ]);
  t.match(messages({ ...host(services), faults: [{ kind: 'kill', at: '1s', path: '/f' }] }), [
    /^faults\.0\.path: expected a service with a worker: \/f forwards to an upstream, which a kill fault cannot reach/,
  ]);
  t.same(
    messages({
      ...host(services),
      faults: [{ kind: 'preamble-flood', at: '1s', duration: '1s', connections: 2, path: '/f' }],
    }),
    [],
    'a flood reaches the listener, not a worker',
  );
});

t.test('a repeating fault ends before it comes again', async (t) => {
  const f = (every: string) => ({ faults: [{ kind: 'pause', at: '1s', duration: '2s', every }] });
  t.match(messages(f('2s')), [
    /^faults\.0\.every: expected a repeat longer than the fault lasts \(duration 2s\), got "2s"/,
  ]);
  t.same(messages(f('3s')), []);
});

t.test(
  'a remote target refuses faults that need local processes at validation, with file:line:col and what to use instead',
  async (t) => {
    const text = [
      'name: remote-faults',
      'target:',
      '  remote: { url: net.tcp://127.0.0.1:808/ }',
      'load:',
      '  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 5, duration: 2s }',
      'faults:',
      '  - { kind: recycle, at: 1s, signal: SIGHUP }',
      '  - { kind: kill, at: 1s }',
      '  - { kind: pause, at: 1s, duration: 1s }',
      '  - { kind: cpu-spike, at: 1s, duration: 1s }',
      '  - { kind: slow-activation, at: 1s, delay: 1s }',
      '  - { kind: command, at: 1s, run: ["true"] }',
      '  - { kind: network, at: 1s, duration: 1s, toxic: latency, latency: 100 }',
      '',
    ].join('\n');
    const r = loadSuiteText(text, 'remote.yaml');
    t.equal(r.ok, false);
    const lines = r.ok ? [] : r.problems.map(formatProblem);
    t.equal(lines.length, 5, lines.join('\n'));
    t.match(
      lines[0],
      /^remote\.yaml:7:5 faults\[0\]: recycle acts on processes the harness started on this machine.*instead, run your own command: \{ kind: command/,
    );
    t.match(lines[1], /^remote\.yaml:8:5 faults\[1\]: kill acts on processes .*taskkill/);
    t.match(lines[2], /^remote\.yaml:9:5 faults\[2\]: pause acts on processes .*pssuspend/);
    t.match(lines[3], /^remote\.yaml:10:5 faults\[3\]: a cpu-spike of scope: system/);
    t.match(lines[4], /^remote\.yaml:11:5 faults\[4\]: slow-activation acts on processes .*appcmd, stop/);
  },
);
