import t from 'tap';
import { checkLoadSpec, checkRequestSpec, type HttpLoadSpec } from '../../../clients/http/index.ts';

t.test(
  'a load spec with problems is refused with every problem at once, each naming field and value',
  async (t) => {
    const bad = {
      url: 'ftp://x/',
      soap: { version: '1.3', operation: '' },
      model: 'constant-arrival-rate',
      rate: -1,
      duration: 0,
      connections: 1.5,
      timeoutMs: 10,
    } as unknown as HttpLoadSpec;
    t.throws(() => checkLoadSpec(bad), {
      code: 'HTTP_BAD_SPEC',
      message:
        'load.url: expected an http:// URL such as http://127.0.0.1:8080/basic, got "ftp://x/" (string)\n' +
        'load.timeoutMs: expected a timeout of at least 1000 ms, got 10 (number)\n' +
        'load.soap.version: expected a SOAP version: 1.1 or 1.2, got "1.3" (string)\n' +
        'load.soap.operation: expected the operation name (for example Echo), got "" (string)\n' +
        'load.rate: expected a positive number of requests per second, got -1 (number)\n' +
        'load.duration: expected a positive duration (ms), got 0 (number)\n' +
        'load.connections: expected a positive whole number, got 1.5 (number)',
    });
  },
);

t.test('each model checks its own fields', async (t) => {
  const base = { url: 'http://127.0.0.1:1/', request: {} };
  t.throws(() => checkLoadSpec({ ...base, model: 'constant-sessions', connections: 0, duration: 1 }), {
    code: 'HTTP_BAD_SPEC',
    problems: [{ field: 'connections' }],
  });
  t.throws(() => checkLoadSpec({ ...base, model: 'ramping-arrival-rate', stages: [] }), {
    code: 'HTTP_BAD_SPEC',
    problems: [{ field: 'stages' }],
  });
  t.throws(
    () => checkLoadSpec({ ...base, model: 'ramping-arrival-rate', stages: [{ target: -1, duration: 5 }] }),
    { code: 'HTTP_BAD_SPEC', problems: [{ field: 'stages[0]' }] },
  );
  t.throws(() => checkLoadSpec({ ...base, model: 'steady' } as unknown as HttpLoadSpec), {
    code: 'HTTP_BAD_SPEC',
    problems: [{ field: 'model' }],
  });
  t.doesNotThrow(() =>
    checkLoadSpec({
      ...base,
      model: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ target: 5, duration: 5 }],
    }),
  );
});

t.test(
  'a request is a SOAP call or a plain request, whose headers cannot break the request line',
  async (t) => {
    t.throws(() => checkRequestSpec({ url: 'http://h/' }), {
      code: 'HTTP_BAD_SPEC',
      problems: [{ field: 'soap' }],
    });
    t.throws(
      () => checkRequestSpec({ url: 'http://h/', request: {}, soap: { version: '1.1', operation: 'Echo' } }),
      { code: 'HTTP_BAD_SPEC', problems: [{ field: 'soap' }] },
    );
    t.throws(() => checkRequestSpec({ url: 'http://h/', request: { headers: { 'X-A': 'a\r\nX-B: b' } } }), {
      code: 'HTTP_BAD_SPEC',
      problems: [{ field: 'request.headers' }],
    });
    t.throws(() => checkRequestSpec({ url: 'http://h/', request: { method: 'get', path: 'x y' } }), {
      code: 'HTTP_BAD_SPEC',
      problems: [{ field: 'request.method' }, { field: 'request.path' }],
    });
    t.throws(
      () => checkRequestSpec({ url: 'http://h/', soap: { version: '1.1', operation: 'E', action: 'a\nb' } }),
      { code: 'HTTP_BAD_SPEC', problems: [{ field: 'soap.action' }] },
    );
    t.doesNotThrow(
      () => checkRequestSpec({ url: 'http://h/', request: {}, timeoutMs: 50 }),
      'a probe may be quick',
    );
  },
);
