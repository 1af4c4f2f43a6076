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
