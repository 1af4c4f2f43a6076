import t from 'tap';
import { Throttle } from '../../../host/worker/throttle.ts';

t.test('holders beyond the limit wait and get slots in arrival order', async (t) => {
  const th = new Throttle(2);
  const order: number[] = [];
  await th.acquire();
  await th.acquire();
  t.ok(th.saturated);
  const waiting = [3, 4, 5].map((n) => th.acquire().then(() => order.push(n)));
  t.equal(th.queued, 3);
  t.notOk(th.tryAcquire(), 'no slot while full');
  th.release();
  th.release();
  await Promise.all(waiting.slice(0, 2));
  t.same(order, [3, 4]);
  t.equal(th.active, 2, 'a released slot passes straight to a waiter');
  th.release();
  await waiting[2];
  t.same(order, [3, 4, 5]);
  th.release();
  th.release();
  t.equal(th.active, 0);
  t.throws(() => th.release(), /more often than acquired/);
});

t.test('tryAcquire does not jump the queue', async (t) => {
  const th = new Throttle(1);
  t.ok(th.tryAcquire());
  const next = th.acquire();
  th.release();
  t.notOk(th.tryAcquire(), 'the waiter has the slot');
  await next;
  t.equal(th.active, 1);
  t.throws(() => new Throttle(0), RangeError);
});
