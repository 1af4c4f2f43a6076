import fc from 'fast-check';
import t from 'tap';
import { pathCovers, RouteTable, routeKeyOf, routeUri } from '../../../host/listener/routes.ts';

t.test('a via routes to the longest registered path that covers it by whole segments', async (t) => {
  const table = new RouteTable<string>();
  table.add('/orders', 'orders');
  table.add('/orders/bulk', 'bulk');
  table.add('/', 'root');
  const at = (via: string) => table.match(routeKeyOf(via, 808)!);
  t.equal(at('net.tcp://h/orders'), 'orders');
  t.equal(at('net.tcp://h/orders/'), 'orders');
  t.equal(at('net.tcp://h/orders/123'), 'orders');
  t.equal(at('net.tcp://h/orders/bulk/7'), 'bulk');
  t.equal(at('net.tcp://h/ordersX'), 'root', 'a prefix that ends inside a segment does not match');
  t.equal(at('net.tcp://h/Orders'), 'root', 'paths compare case-sensitively');
});

t.test('the host compares case-insensitively and a host-bound path wins over a wildcard', async (t) => {
  const table = new RouteTable<string>();
  table.add('/svc', 'any');
  table.add('/svc', 'bound', 'Example.COM');
  table.add('/only', 'only-bound', 'example.com');
  const at = (via: string) => table.match(routeKeyOf(via, 808)!);
  t.equal(at('net.tcp://EXAMPLE.com/svc'), 'bound');
  t.equal(at('net.tcp://other/svc'), 'any');
  t.equal(at('net.tcp://example.COM/only'), 'only-bound');
  t.equal(at('net.tcp://other/only'), undefined);
});

t.test('the socket local port replaces the via port; other schemes route nowhere', async (t) => {
  const k = routeKeyOf('net.tcp://Host:9999/a/b', 40000)!;
  t.same(k, { host: 'host', port: 40000, path: '/a/b' });
  t.equal(routeUri(k), 'net.tcp://host:40000/a/b');
  t.equal(routeKeyOf('http://host/a', 1), undefined);
  t.equal(routeKeyOf('not a uri', 1), undefined);
});

t.test('pathCovers agrees with a segment-wise prefix comparison', async (t) => {
  const seg = fc.stringMatching(/^[a-z]{1,3}$/);
  fc.assert(
    fc.property(fc.array(seg, { maxLength: 4 }), fc.array(seg, { maxLength: 4 }), (reg, path) => {
      const r = `/${reg.join('/')}`;
      const p = `/${path.join('/')}`;
      const prefix = reg.length === 0 || (reg.length <= path.length && reg.every((s, i) => s === path[i]));
      return pathCovers(r, p) === prefix;
    }),
  );
  t.pass('held for every generated pair');
});

t.test('any via string is either routed or not, never a throw', async (t) => {
  const table = new RouteTable<number>();
  table.add('/a', 1);
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 0, max: 65535 }), (via, port) => {
      const k = routeKeyOf(via, port);
      return k === undefined || [1, undefined].includes(table.match(k));
    }),
  );
  t.pass('no via threw');
});
