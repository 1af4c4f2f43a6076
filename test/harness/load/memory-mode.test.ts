import t from 'tap';
import { favourMemoryAt, MANY_SESSIONS, restoreMemoryMode } from '../../../harness/load/memory-mode.ts';

t.test('memory is favoured once, from MANY_SESSIONS in flight, until restored', async (t) => {
  t.teardown(restoreMemoryMode);
  t.equal(favourMemoryAt(MANY_SESSIONS - 1), false, 'below: V8 default');
  t.equal(favourMemoryAt(MANY_SESSIONS), true, 'at: switched on');
  t.equal(favourMemoryAt(MANY_SESSIONS * 10), false, 'already on');
  restoreMemoryMode();
  t.equal(favourMemoryAt(MANY_SESSIONS), true, 'on again after a restore');
  // The process goes on allocating under the flag and back without it.
  const kept = Array.from({ length: 100_000 }, (_, i) => ({ i }));
  restoreMemoryMode();
  t.equal(kept.length, 100_000);
});
