import t from 'tap';
import { checkPair } from './pair.ts';

t.test('dispatch-timeout-cpu-spike: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'dispatch-timeout-cpu-spike', { defect: ['handles.noLeak'], fixed: [] }),
);
