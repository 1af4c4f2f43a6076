// Reads version 1 histories as version 2: the target's readiness and the run's outcome were log lines
// then (`target ready after Nms`, `run <outcome>` with the outcome in its data), events of their own now.

import type { HistoryEvent, LogEvent, MetaEvent } from '../../model/history.ts';
import type { RunOutcome } from '../../model/result.ts';

const OUTCOMES: readonly string[] = ['met', 'not-met', 'interrupted', 'invalid'];

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

// The events a version 1 log line stands for (itself, plus the typed fact it carried).
const upgradeLog = (e: LogEvent): HistoryEvent[] => {
  if (e.source !== 'harness') return [e];
  const d = e.data ?? {};
  const ready = /^target ready after (\d+)ms/.exec(e.message);
  if (ready !== null) {
    const [pid, port] = [num(d['pid']), num(d['port'])];
    const host = typeof d['host'] === 'string' ? d['host'] : undefined;
    return [
      e,
      {
        t: e.t,
        kind: 'ready',
        ms: Number(ready[1]),
        ...(pid === undefined ? {} : { pid }),
        ...(host === undefined ? {} : { host }),
        ...(port === undefined ? {} : { port }),
      },
    ];
  }
  if (
    typeof d['outcome'] === 'string' &&
    OUTCOMES.includes(d['outcome']) &&
    num(d['exitCode']) !== undefined
  ) {
    const why = d['invalidReason'];
    return [
      {
        t: e.t,
        kind: 'outcome',
        outcome: d['outcome'] as RunOutcome,
        exitCode: num(d['exitCode'])!,
        // Version 1 gave no code for why a run was invalid.
        ...(typeof why === 'string' ? { invalid: { code: 'RUN_HARNESS_FAILED', message: why } } : {}),
      },
    ];
  }
  return [e];
};

// A version 1 event as version 2 events.
export const upgradeEvent = (meta: MetaEvent, e: HistoryEvent): HistoryEvent[] => {
  if (meta.version !== 1 || e.kind !== 'log') return [e];
  return upgradeLog(e);
};
