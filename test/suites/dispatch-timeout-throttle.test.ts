import t from 'tap';
import { checkPair } from './pair.ts';

t.test('dispatch-timeout-throttle: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'dispatch-timeout-throttle', { defect: ['handles.noLeak'], fixed: [] }),
);
