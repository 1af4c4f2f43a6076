import t from 'tap';
import { DEFAULT_CONTENT_TYPES, DEFAULT_SHARING, DEFAULT_THROTTLE } from '../../host/config.ts';
import { resolveHostConfig } from '../../host/config-input.ts';

t.test('what is left out takes the defaults of host/config.ts', async (t) => {
  t.same(resolveHostConfig({ services: [{ path: '/a' }] }), {
    listen: { host: '127.0.0.1', port: 0 },
    sharing: { ...DEFAULT_SHARING },
    services: [
      {
        path: '/a',
        throttle: { ...DEFAULT_THROTTLE },
        activation: { mode: 'on-demand', delayMs: 0 },
        operations: {},
        preDispatchHook: { latencyMs: 0 },
        contentTypes: [...DEFAULT_CONTENT_TYPES],
        maxMessageSize: 65536,
        overlappedRecycle: true,
      },
    ],
    defects: [],
  });
});

t.test('every problem is reported at once, each with its field and what it got', async (t) => {
  t.throws(
    () =>
      resolveHostConfig({
        listen: { port: 70000 },
        services: [
          { path: '/a', operations: { teleport: { latencyMs: 1 } } },
          { path: '/b', activation: { mode: 'lazy' } },
        ],
      }),
    {
      code: 'HOST_INVALID_CONFIG',
      message: [
        'listen.port: expected a port from 0 to 65535, got 70000 (number)',
        'services[0].operations: unknown field "teleport"',
        'services[1].activation.mode: expected "on-demand" or "startup", got "lazy" (string)',
      ].join('\n'),
    },
  );
  t.throws(() => resolveHostConfig('nope'), {
    message: 'config: expected a host configuration object, got "nope" (string)',
  });
});

t.test('two services may not register the same path for the same host', async (t) => {
  t.throws(() => resolveHostConfig({ services: [{ path: '/a' }, { path: '/a' }] }), {
    message: 'services[1].path: expected a path no other service registers, got "/a" (string)',
  });
  t.doesNotThrow(() =>
    resolveHostConfig({ services: [{ path: '/a' }, { path: '/a', host: 'example.com' }] }),
  );
});

t.test(
  'a forwarding service: the short form takes the defaults, the long form sets via and the bound',
  async (t) => {
    const [short, long] = resolveHostConfig({
      services: [
        { path: '/a', forward: 'net.tcp://127.0.0.1:9000/a' },
        { path: '/b', forward: { to: 'net.tcp://localhost/b', via: 'rewrite', connectTimeoutMs: 250 } },
      ],
    }).services;
    t.same(short!.forward, { to: 'net.tcp://127.0.0.1:9000/a', via: 'pass', connectTimeoutMs: 5000 });
    t.same(long!.forward, { to: 'net.tcp://localhost/b', via: 'rewrite', connectTimeoutMs: 250 });
    // What the YAML form sends: every worker field at its default beside forward.
    t.doesNotThrow(() => resolveHostConfig(JSON.parse(JSON.stringify({ services: [short] }))));
  },
);

const problems = (value: unknown): string[] => {
  try {
    resolveHostConfig(value);
  } catch (e) {
    return (e as Error).message.split('\n');
  }
  return [];
};

t.test('a forwarding service refuses addresses that are not net.tcp and unknown via modes', async (t) => {
  t.match(
    problems({
      services: [
        { path: '/b', forward: 'http://127.0.0.1:9000/b' },
        { path: '/c', forward: { to: 'net.tcp://127.0.0.1/c', via: 'sideways' } },
        { path: '/e', forward: 'net.tcp://user@127.0.0.1/e' },
      ],
    }),
    [
      /^services\[0\]\.forward: expected a net\.tcp address: net\.tcp:\/\/HOST\[:PORT\]\/PATH, or \{ to, via: pass \| rewrite, connectTimeoutMs \}, got "http:/,
      /^services\[1\]\.forward: expected a net\.tcp address.*, got \{"to":"net\.tcp:\/\/127\.0\.0\.1\/c","via":"sideways"\} \(object\)$/,
      /^services\[2\]\.forward: expected a net\.tcp address/,
    ],
  );
});

t.test('a forwarding service refuses worker settings and upstreams outside loopback', async (t) => {
  t.match(
    problems({
      services: [
        { path: '/a', forward: 'net.tcp://127.0.0.1:9000/a', throttle: { maxConcurrentCalls: 3 } },
        { path: '/d', forward: 'net.tcp://10.0.0.1:9000/d', drainTimeoutMs: 10 },
      ],
    }),
    [
      /^services\[0\]\.throttle: expected no throttle beside forward \(a service that forwards to an upstream runs no worker\), got \{"maxConcurrentCalls":3/,
      /^services\[1\]\.drainTimeoutMs: expected no drainTimeoutMs beside forward/,
      /^services\[1\]\.forward: expected a loopback upstream \(127\.0\.0\.0\/8, ::1 or localhost\) unless allowRemote is true, got "net\.tcp:\/\/10\.0\.0\.1:9000\/d"/,
    ],
  );
  t.same(
    problems({ allowRemote: true, services: [{ path: '/d', forward: 'net.tcp://10.0.0.1:9000/d' }] }),
    [],
  );
  t.same(problems({ services: [{ path: '/d', forward: 'net.tcp://[::1]:9000/d' }] }), []);
});
