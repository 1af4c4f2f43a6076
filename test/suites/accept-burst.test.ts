import t from 'tap';
import { checkPair } from './pair.ts';

t.test('accept-burst: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'accept-burst', {
    'accepts-2': ['listener.responsive', 'sessions.errorRate'],
    'accepts-10': [],
  }),
);
