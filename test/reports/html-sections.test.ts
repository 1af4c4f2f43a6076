import t from 'tap';
import type { LogEvent } from '../../model/history.ts';
import {
  faultsTable,
  logGroups,
  logGroupText,
  logList,
  processesTable,
} from '../../reports/html-sections.ts';
import { history, proc } from '../helpers/history.ts';
import { handMadeRun } from './fixtures.ts';

const refused = (at: number, reason: string): LogEvent => ({
  t: at,
  kind: 'log',
  level: 'warn',
  source: 'target',
  message: 'host refused',
  data: { event: 'refused', fault: null, reason },
});

t.test('repeated events are one line with how many and why', async (t) => {
  const events: LogEvent[] = [];
  for (let i = 0; i < 4940; i++)
    events.push(refused(5000 + i, i < 4120 ? 'listenBacklog' : 'maxPendingConnections'));
  events.push({ t: 9000, kind: 'log', level: 'error', source: 'harness', message: 'the target exited' });
  const groups = logGroups(events);
  t.equal(groups.length, 2);
  t.match(groups[0], { count: 4940, first: 5000, last: 9939 });
  t.equal(logGroupText(groups[0]!), 'host refused x4,940: listenBacklog 4,120, maxPendingConnections 820');
  t.equal(logGroupText(groups[1]!), 'the target exited', 'once, with no reason: the message alone');

  const html = logList(history(...events));
  t.match(html, /4,941 events, 2 kinds: repeated ones once, with how many and why/);
  t.match(
    html,
    /<td>5\.0s<\/td><td>9\.9s<\/td><td>warn<\/td><td>target<\/td><td><code>host refused x4,940: listenBacklog 4,120, maxPendingConnections 820<\/code>/,
  );
  t.notMatch(html, /more in history\.ndjson/);
});

t.test('a reason is the event data’s reason, else its fault or code; many are cut short', async (t) => {
  const notFound: LogEvent = {
    t: 1,
    kind: 'log',
    level: 'warn',
    source: 'target',
    message: 'host refused',
    data: { fault: 'EndpointNotFound', reason: '' },
  };
  const events = [notFound, notFound, ...['a', 'b', 'c', 'd', 'e', 'f'].map((r, i) => refused(2 + i, r))];
  t.equal(
    logGroupText(logGroups(events)[0]!),
    'host refused x8: EndpointNotFound 2, a 1, b 1, c 1, 3 for 3 other reasons',
  );
});

t.test('info lines stay out; nothing logged says so', async (t) => {
  t.match(
    logList(history({ t: 1, kind: 'log', level: 'info', source: 'harness', message: 'x' })),
    /No warning or error was logged/,
  );
});

t.test('faults read as sentences and tables on the run clock, with the suite’s at beside it', async (t) => {
  const r = handMadeRun(true);
  // The recycle as the run would journal it: issued at 2.0s (its at: 1s after load began at 1.0s).
  r.history.events.push({
    t: 1990,
    kind: 'fault',
    type: 'intent',
    id: 'recycle#0',
    fault: 'recycle',
    label: 'overlapped recycle of /orders',
    detail: { spec: { kind: 'recycle', at: 1000, mode: 'overlapped', path: '/orders' } },
  });
  r.history.events.sort((a, b) => a.t - b.t);
  r.faults = {
    'recycle#0': {
      sentences: ['Recycled /orders (overlapped): worker pid 200 replaced by pid 300, at 2.0s.'],
      tables: [
        { caption: 'processes', columns: ['pid', 'role'], rows: [['300', { text: 'worker', strong: true }]] },
      ],
    },
  };
  const html = faultsTable(r);
  t.match(
    html,
    /Times are run time \(seconds since the run started\), as on the charts; a fault's <code>at:<\/code> counts from the start of load, which began at 1\.0s\./,
  );
  t.match(html, /<td>at: 1\.0s = 2\.0s<\/td><td>2\.0s<\/td><td>2\.0s<\/td><td>2\.2s<\/td>/);
  t.match(
    html,
    /<p class="said">Recycled \/orders \(overlapped\): worker pid 200 replaced by pid 300, at 2\.0s\.<\/p>/,
  );
  t.match(html, /<table class="small">.*<td><b>worker<\/b><\/td>/);
  t.notMatch(html, /[{]"/, 'no raw JSON');

  delete r.faults;
  r.history.events.push({
    t: 2100,
    kind: 'fault',
    type: 'note',
    id: 'recycle#0',
    fault: 'recycle',
    label: 'x',
    detail: { refusedDuring: {} },
  });
  t.match(
    faultsTable(r),
    /<p class="said">Refused during: none\.<\/p>/,
    'without an account, the notes in generic words',
  );
});

t.test('the processes table shows each process’s command line, not its thread name', async (t) => {
  const p = (cmd?: string) => ({
    ...proc(100, { socket: 1 }),
    comm: 'MainThread',
    ...(cmd === undefined ? {} : { cmd }),
  });
  const html = processesTable(
    history(
      { t: 500, kind: 'sample', source: 'target', processes: [p('node host/main.ts --port 0')] },
      { t: 1000, kind: 'sample', source: 'target', processes: [p()] },
    ),
  );
  t.match(html, /<td><code class="cmd">node host\/main\.ts --port 0<\/code><\/td>/);
  t.notMatch(html, /MainThread/);
  t.match(
    processesTable(history({ t: 500, kind: 'sample', source: 'target', processes: [p()] })),
    /<td>MainThread<\/td>/,
    'a history from before command lines were read shows the name it has',
  );
});
