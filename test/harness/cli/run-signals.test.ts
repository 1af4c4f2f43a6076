import t from 'tap';
import { forcedStop, gracefulStop } from '../../helpers/interrupted-run.ts';
import { PINNED_NODE } from '../../helpers/process-group.ts';

// On the pinned Node the command line runs in the first process itself (no launcher).
const cases: [NodeJS.Signals, 'group' | 'pid'][] = [
  ['SIGINT', 'group'],
  ['SIGHUP', 'group'],
  ['SIGTERM', 'pid'],
];
for (const [signal, to] of cases) {
  const how = to === 'group' ? 'to the process group (as a terminal does)' : 'to the process alone';
  t.test(`on the pinned Node, one ${signal} ${how} stops the run gracefully once`, (t) =>
    gracefulStop(t, PINNED_NODE, signal, to),
  );
}
t.test('on the pinned Node, a second Ctrl-C while the run stops exits at once', (t) =>
  forcedStop(t, PINNED_NODE),
);
