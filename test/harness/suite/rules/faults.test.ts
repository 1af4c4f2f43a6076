import t from 'tap';
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
