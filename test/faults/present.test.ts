import t from 'tap';
import { hostEvents, nextIssued, reasonsText, refusedAfter, whenText } from '../../faults/present.ts';
import type { FaultRecord } from '../../model/fault-records.ts';
import type { HistoryEvent } from '../../model/history.ts';
import { history } from '../helpers/history.ts';

const hostLog = (at: number, data: Record<string, unknown>): HistoryEvent => ({
  t: at,
  kind: 'log',
  level: 'info',
  source: 'target',
  message: `host ${String(data['event'])}`,
  data,
});

const record = (over: Partial<FaultRecord>): FaultRecord => ({
  id: 'recycle#0',
  kind: 'recycle',
  label: 'r',
  notes: [],
  errors: [],
  ...over,
});

t.test('when a fault acted, in words: instant, or issued and later taking effect', async (t) => {
  t.equal(whenText(record({ intentAt: 5000, injectedAt: 5010 })), 'at 5.0s');
  t.equal(
    whenText(record({ intentAt: 5100, injectedAt: 5900 })),
    'issued at 5.1s, took effect at 5.9s (800ms later)',
  );
  t.equal(whenText(record({ intentAt: 5100 })), 'issued at 5.1s, never took effect');
});

t.test('the host’s refusals after a fault, with their reasons, up to the next fault', async (t) => {
  const h = history(
    hostLog(1000, { event: 'refused', fault: null, reason: 'listenBacklog' }),
    hostLog(6000, { event: 'refused', fault: null, reason: 'listenBacklog' }),
    hostLog(6500, { event: 'refused', fault: null, reason: 'maxPendingConnections' }),
    hostLog(7000, { event: 'refused', fault: 'EndpointNotFound', reason: '' }),
    hostLog(7000, { event: 'dispatch', pid: 3 }),
    hostLog(9000, { event: 'refused', fault: null, reason: 'listenBacklog' }),
  );
  t.equal(hostEvents(h, 'refused', 5000, 8000).length, 3);
  t.equal(
    reasonsText(hostEvents(h, 'refused', 0)),
    'listenBacklog 3, maxPendingConnections 1, EndpointNotFound 1',
  );
  t.same(refusedAfter(h, 5000, 8000), [
    'After it took effect the host refused 3 connections (listenBacklog 1, maxPendingConnections 1, EndpointNotFound 1), from 6.0s to 7.0s.',
  ]);
  t.same(refusedAfter(h, 9500, Infinity), [], 'none refused, nothing said');
});

t.test('what follows a fault is its own until the next fault is issued', async (t) => {
  const f = (at: number, id: string): HistoryEvent => ({
    t: at,
    kind: 'fault',
    type: 'intent',
    id,
    fault: 'recycle',
    label: id,
  });
  const h = history(f(1000, 'recycle#0'), f(4000, 'recycle#1'));
  t.equal(nextIssued(h, record({ intentAt: 1000 })), 4000);
  t.equal(nextIssued(h, record({ id: 'recycle#1', intentAt: 4000 })), Infinity);
});
