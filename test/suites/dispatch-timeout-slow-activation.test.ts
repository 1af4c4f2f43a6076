import t from 'tap';
import { checkPair } from './pair.ts';

t.test('dispatch-timeout-slow-activation: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'dispatch-timeout-slow-activation', { defect: ['handles.noLeak'], fixed: [] }),
);
