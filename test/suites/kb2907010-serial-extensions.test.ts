import t from 'tap';
import { checkPair } from './pair.ts';

t.test('kb2907010-serial-extensions: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'kb2907010-serial-extensions', { defect: ['latency', 'throughput.min'], fixed: [] }),
);
