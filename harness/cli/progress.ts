// The live progress display: it only listens to the History. On a terminal, one line rewritten in
// place; otherwise a plain line every few seconds and at each phase.

import type { HistoryEvent, LoadSample } from '../../model/history.ts';
import type { HistoryWriter } from '../history/writer.ts';

const PLAIN_EVERY_MS = 5000;

export const attachProgress = (h: HistoryWriter, out: NodeJS.WriteStream = process.stderr): (() => void) => {
  const tty = out.isTTY === true;
  let phase = 'starting';
  let rate = 0;
  let p99 = 0;
  let errors = 0;
  let total = 0;
  let fds = 0;
  const active = new Map<string, string>();
  let lastPlain = -Infinity;
  let windowLoads: LoadSample[] = [];

  const line = (t: number): string => {
    const f = [...active.values()];
    const errPct = total === 0 ? 0 : (errors / total) * 100;
    return (
      `[${(t / 1000).toFixed(1).padStart(6)}s] ${phase.padEnd(8)} ${rate.toFixed(1).padStart(7)} sessions/s` +
      `  p99 ${p99.toFixed(1)}ms  errors ${errors} (${errPct.toFixed(1)}%)  fds ${fds}` +
      (f.length > 0 ? `  faults: ${f.join(', ')}` : '')
    );
  };
  const show = (t: number, force = false) => {
    if (tty) {
      out.write(`\r\u001b[2K${line(t)}`);
    } else if (force || t - lastPlain >= PLAIN_EVERY_MS) {
      lastPlain = t;
      out.write(`${line(t)}\n`);
    }
  };
  const onEvent = (e: HistoryEvent): void => {
    switch (e.kind) {
      case 'phase':
        phase = e.phase;
        show(e.t, true);
        break;
      case 'sample':
        if (e.source === 'load') {
          windowLoads.push(e);
          return;
        }
        if (e.source === 'generator') {
          // All loads have reported this window by the generator's reading of the same tick.
          if (windowLoads.length > 0) {
            const ms = windowLoads[0]!.windowMs || 1;
            let done = 0;
            for (const s of windowLoads) {
              const failed = Object.values(s.failed).reduce((a, b) => a + b, 0);
              done += s.ok + failed;
              total += s.ok + failed + s.dropped;
              errors += failed + s.dropped;
            }
            rate = (done / ms) * 1000;
            p99 = Math.max(...windowLoads.map((s) => s.latency.corrected.p99));
            windowLoads = [];
          }
          show(e.t);
        }
        if (e.source === 'target') fds = e.processes.reduce((n, p) => n + p.fds.total, 0);
        // A remote target's handles, from an exporter (a failed reading keeps the last count).
        if (e.source === 'observer') {
          const handles = e.readings.filter((r) => r.figure === 'handles');
          if (handles.length > 0) fds = handles.reduce((n, r) => n + r.value, 0);
        }
        break;
      case 'fault':
        if (e.type === 'inject' || e.type === 'intent') active.set(e.id, e.label);
        if (e.type === 'heal' || e.type === 'error') active.delete(e.id);
        break;
      default:
        break;
    }
  };
  const unsubscribe = h.subscribe(onEvent);
  return () => {
    unsubscribe();
    if (tty) out.write('\n');
  };
};
