import fc from 'fast-check';
import t from 'tap';
import { httpRequestOf, httpUrlOf } from '../../../../harness/load/clients/http-address.ts';

t.test("a path resolves on the target's HTTP port; an http:// url stays as it is", async (t) => {
  const target = { host: '127.0.0.1', port: 808, httpPort: 8080 };
  t.equal(httpUrlOf('/basic', target), 'http://127.0.0.1:8080/basic');
  t.equal(httpUrlOf(undefined, target), 'http://127.0.0.1:8080/');
  t.equal(httpUrlOf('/a', { host: '::1', port: 1, httpPort: 2 }), 'http://[::1]:2/a');
  t.equal(httpUrlOf('http://127.0.0.2:9/x', target), 'http://127.0.0.2:9/x');
  t.throws(() => httpUrlOf('/basic', { host: '127.0.0.1', port: 808 }), {
    code: 'LOAD_NO_HTTP_ADDRESS',
    message: /the target serves no HTTP/,
  });
});

t.test('{payload} becomes the same seeded text of the given length in SOAP params and bodies', async (t) => {
  const o = { url: 'http://127.0.0.1:1/', name: 'l', seed: 7, timeoutMs: 1000, allowRemote: false };
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 300 }), (n) => {
      const soap = httpRequestOf(
        { soap: { version: '1.1', operation: 'Echo', params: { text: '<{payload}>', n: 1 } }, payload: n },
        o,
      );
      const plain = httpRequestOf({ request: { headers: {}, body: '{payload}' }, payload: n }, o);
      const text = soap.soap!.params!['text'] as string;
      return (
        text.length === n + 2 &&
        /^<[\w-]*>$/.test(text) &&
        plain.request!.body === text.slice(1, -1) &&
        soap.soap!.params!['n'] === 1
      );
    }),
  );
  const other = httpRequestOf(
    { request: { headers: {}, body: '{payload}' }, payload: 16 },
    { ...o, name: 'another load' },
  );
  const mine = httpRequestOf({ request: { headers: {}, body: '{payload}' }, payload: 16 }, o);
  t.not(other.request!.body, mine.request!.body, 'each load its own stream');
  t.same(httpRequestOf({ request: { headers: {} }, payload: 16 }, o).request, { headers: {} });
});
