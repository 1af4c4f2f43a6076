import t from 'tap';
import { DeadlineWheel } from '../../clients/deadlines.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Waits until `done` holds, for at most 2s (a busy machine delays timers; the order and lower bounds
// are what the wheel promises, not how soon).
const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !done(); i++) await sleep(10);
};

t.test('deadlines fire after their time, in order, cancelled ones never', async (t) => {
  const w = new DeadlineWheel(5);
  const fired: [string, number][] = [];
  const now = performance.now();
  const at = (name: string) => () => fired.push([name, performance.now() - now]);
  w.add(now + 20, at('a'));
  const b = w.add(now + 20, at('b'));
  w.add(now + 60, at('c'));
  w.cancel(b);
  t.equal(w.size, 2);
  await until(() => fired.length === 2);
  t.same(
    fired.map(([n]) => n),
    ['a', 'c'],
  );
  t.ok(fired[0]![1] >= 20 && fired[1]![1] >= 60, `not before their time: ${JSON.stringify(fired)}`);
  await sleep(30);
  t.equal(fired.length, 2, 'the cancelled one never fires');
  t.equal(w.size, 0, 'the wheel is empty and its timer stopped');
});

t.test('a deadline already past fires on the next tick, before one still to come', async (t) => {
  const w = new DeadlineWheel(5);
  const fired: number[] = [];
  const start = performance.now();
  w.add(start + 200, () => fired.push(1));
  w.add(performance.now() - 1000, () => fired.push(2));
  await until(() => fired.length === 2);
  t.same(fired, [2, 1]);
  t.ok(performance.now() - start >= 200, 'the later one waited for its time');
});
