import t from 'tap';
import { DeadlineWheel } from '../../clients/deadlines.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('deadlines fire after their time, cancelled ones never', async (t) => {
  const w = new DeadlineWheel(5);
  const fired: string[] = [];
  const now = performance.now();
  w.add(now + 20, () => fired.push('a'));
  const b = w.add(now + 20, () => fired.push('b'));
  w.add(now + 60, () => fired.push('c'));
  w.cancel(b);
  t.equal(w.size, 2);
  await sleep(40);
  t.same(fired, ['a']);
  await sleep(60);
  t.same(fired, ['a', 'c']);
  t.equal(w.size, 0, 'the wheel is empty and its timer stopped');
});

t.test('a deadline already past fires on the next tick', async (t) => {
  const w = new DeadlineWheel(5);
  const fired: number[] = [];
  w.add(performance.now() + 50, () => fired.push(1));
  await sleep(15);
  w.add(performance.now() - 1000, () => fired.push(2));
  await sleep(20);
  t.same(fired, [2]);
  await sleep(40);
  t.same(fired, [2, 1]);
});
