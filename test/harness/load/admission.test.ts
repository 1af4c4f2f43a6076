import t from 'tap';
import { Admission } from '../../../harness/load/admission.ts';

const turn = () => new Promise<void>((r) => setImmediate(r));

t.test(
  'at most perTurn starts run in one turn of the event loop; the rest in the turns after, in order',
  async (t) => {
    const a = new Admission(3);
    const started: number[] = [];
    const done = Array.from({ length: 8 }, (_, i) =>
      a.admit(async () => {
        started.push(i);
        return i * 10;
      }),
    );
    t.same(started, [0, 1, 2], 'three at once');
    t.equal(a.waiting, 5);
    await turn();
    t.same(started, [0, 1, 2, 3, 4, 5]);
    await turn();
    t.same(started, [0, 1, 2, 3, 4, 5, 6, 7]);
    t.same(await Promise.all(done), [0, 10, 20, 30, 40, 50, 60, 70], 'each resolves with its own result');
    t.equal(a.waiting, 0);
  },
);

t.test('a new turn has room again', async (t) => {
  const a = new Admission(2);
  let n = 0;
  const start = async () => void n++;
  void a.admit(start);
  void a.admit(start);
  await turn();
  void a.admit(start);
  void a.admit(start);
  t.equal(n, 4, 'both ran at once in the next turn');
  t.equal(a.waiting, 0);
});

t.test('ten thousand starts never run more than perTurn between two turns', async (t) => {
  const a = new Admission(64);
  let inTurn = 0;
  let most = 0;
  let stop = false;
  const watcher = (async () => {
    while (!stop) {
      most = Math.max(most, inTurn);
      inTurn = 0;
      await turn();
    }
  })();
  await Promise.all(Array.from({ length: 10_000 }, () => a.admit(async () => void inTurn++)));
  stop = true;
  await watcher;
  t.ok(most <= 64, `at most ${most} in one turn`);
});
