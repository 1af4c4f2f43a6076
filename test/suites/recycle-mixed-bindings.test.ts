import t from 'tap';
import { checkPair } from './pair.ts';

t.test(
  'recycle-mixed-bindings: both bindings ride an overlapped recycle, and both fail without overlap',
  (t) =>
    checkPair(t, 'recycle-mixed-bindings', {
      overlapped: [],
      gap: ['listener.responsive', 'sessions.errorRate'],
    }),
);
