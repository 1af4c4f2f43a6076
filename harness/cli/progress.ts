// The live progress display: it only listens to the History. A line naming the run (the suite, or
// SUITE.VARIANT), then a status line (on a terminal, rewritten in place; otherwise printed every few
// seconds and at each phase): the phase and its time left, the run, sessions per second, the p99 of
// the sessions that succeeded (none: `-`), the listener probe (ok, or failing for how long), errors by
// kind with how long they took to fail, and fds. Each fault as it is issued, takes effect, heals or
// fails, and each harness warning, gets a line of its own above it.

import { kindsText } from '../../model/failures.ts';
import { human, latencyMs } from '../../model/format.ts';
import type { HistoryEvent, LoadSample, Phase } from '../../model/history.ts';
import type { HistoryWriter } from '../history/writer.ts';

const PLAIN_EVERY_MS = 5000;

// What a fault's events say on their own line.
const FAULT_WORDS = {
  intent: 'issued',
  inject: 'in effect',
  heal: 'healed',
  error: 'FAILED',
  note: '',
} as const;

const stamp = (t: number): string => `[${(t / 1000).toFixed(1).padStart(6)}s]`;

// The state the display keeps, and the status line it makes of it.
class Status {
  name = '';
  phase: Phase = 'starting';
  // When the phase began and how long it is meant to last.
  phaseAt = 0;
  plannedMs: number | undefined;
  now = 0;
  // The last load window (all loads together).
  rate = 0;
  okRate = 0;
  // p99 of the sessions that succeeded in it; null when none did.
  p99: number | null = null;
  windowFailed: Record<string, number> = {};
  // How long the window's failed sessions took to fail (the slowest load's median); null: none failed.
  timeToFail: number | null = null;
  windowEnded = 0;
  totalFailed = 0;
  totalEnded = 0;
  fds: number | undefined;
  // The probe: undefined before the first; since when it has failed, if it does now.
  probe: { ok: boolean; failingSince?: number; how?: string } | undefined;
  faults = new Map<string, string>();

  // The status line; within `width` characters when given (a terminal's), leaving out first what is
  // said elsewhere (the faults have lines of their own, the run is named above), then fds.
  line(width?: number): string {
    let head = `${stamp(this.now)} ${this.phase}`;
    if (this.plannedMs !== undefined)
      head += ` (${human(Math.max(0, this.phaseAt + this.plannedMs - this.now))} left)`;
    const parts: { text: string; drop?: number }[] = [{ text: head }, { text: this.name, drop: 2 }];
    // Once the run stops, the last windows and the probe are history: only the totals stand.
    if (this.phase === 'stopping' || this.phase === 'done') {
      if (this.totalEnded > 0)
        parts.push({ text: `${this.totalFailed} of ${this.totalEnded} sessions failed` });
    } else {
      const loading = this.phase === 'load' || this.phase === 'drain' || this.totalEnded > 0;
      if (loading)
        parts.push({
          // A window where sessions ended and none succeeded has no latency: never a fast p99.
          text:
            `${this.rate.toFixed(1)} sessions/s ` +
            (this.p99 !== null
              ? `(${this.okRate.toFixed(1)} ok, p99 ${latencyMs(this.p99)})`
              : this.windowEnded > 0
                ? '(none ok: no latency)'
                : '(none ended)'),
        });
      if (this.probe !== undefined)
        parts.push({
          text: this.probe.ok
            ? 'probe ok'
            : `probe failing for ${human(this.now - (this.probe.failingSince ?? this.now))}${this.probe.how === undefined ? '' : ` (${this.probe.how})`}`,
        });
      if (loading) parts.push({ text: this.errorsText() });
      if (this.fds !== undefined) parts.push({ text: `fds ${this.fds}`, drop: 3 });
      if (this.faults.size > 0)
        parts.push({ text: `faults: ${[...this.faults.values()].join(', ')}`, drop: 1 });
    }
    const join = (ps: readonly { text: string }[]) => ps.map((p) => p.text).join('  ');
    let shown = parts;
    for (let rank = 1; width !== undefined && join(shown).length > width && rank <= 3; rank++)
      shown = shown.filter((p) => p.drop !== rank);
    const text = join(shown);
    return width !== undefined && text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  }

  // The last window's errors by kind and how long they took to fail, with the total so far.
  errorsText(): string {
    const failed = Object.values(this.windowFailed).reduce((a, b) => a + b, 0);
    if (failed === 0) return `errors 0 (${this.totalFailed} in all)`;
    const pct = this.windowEnded === 0 ? 0 : (failed / this.windowEnded) * 100;
    return (
      `errors ${pct.toFixed(0)}%: ${kindsText(this.windowFailed)}` +
      (this.timeToFail === null ? '' : `, failing in ${latencyMs(this.timeToFail)}`) +
      ` (${this.totalFailed} in all)`
    );
  }

  // A load window's figures (every load's window of the same tick together).
  window(samples: readonly LoadSample[]): void {
    const ms = samples[0]?.windowMs || 1;
    let done = 0;
    let ok = 0;
    const failed: Record<string, number> = {};
    for (const s of samples) {
      for (const [k, n] of Object.entries(s.failed)) if (n > 0) failed[k] = (failed[k] ?? 0) + n;
      if (s.dropped > 0) failed['dropped'] = (failed['dropped'] ?? 0) + s.dropped;
      ok += s.ok;
      done += s.ok + Object.values(s.failed).reduce((a, b) => a + b, 0);
    }
    const bad = Object.values(failed).reduce((a, b) => a + b, 0);
    this.rate = (done / ms) * 1000;
    this.okRate = (ok / ms) * 1000;
    const withSuccess = samples.filter((s) => s.latency.corrected.count > 0);
    this.p99 = withSuccess.length === 0 ? null : Math.max(...withSuccess.map((s) => s.latency.corrected.p99));
    this.windowFailed = failed;
    const failing = samples.flatMap((s) =>
      s.latency.failed !== undefined && s.latency.failed.count > 0 ? [s.latency.failed.p50] : [],
    );
    this.timeToFail = failing.length === 0 ? null : Math.max(...failing);
    this.windowEnded = ok + bad;
    this.totalFailed += bad;
    this.totalEnded += ok + bad;
  }
}

// Shows a run's progress on `out` until the returned function is called.
export const attachProgress = (h: HistoryWriter, out: NodeJS.WriteStream = process.stderr): (() => void) => {
  const tty = out.isTTY === true;
  // One character short of the terminal's width, so the line never wraps (a wrapped line is not
  // rewritten in place).
  const width = (): number | undefined => (out.columns > 0 ? out.columns - 1 : undefined);
  const st = new Status();
  const { meta } = h.history;
  st.name = meta.suite;
  let lastPlain = -Infinity;
  let shown = false;
  let windowLoads: LoadSample[] = [];

  const show = (force = false) => {
    if (tty) {
      out.write(`\r\u001b[2K${st.line(width())}`);
      shown = true;
    } else if (force || st.now - lastPlain >= PLAIN_EVERY_MS) {
      lastPlain = st.now;
      out.write(`${st.line()}\n`);
    }
  };
  // A line of its own (a fault, a warning), above the status line on a terminal.
  const say = (text: string) => {
    out.write(tty ? `\r\u001b[2K${text}\n` : `${text}\n`);
    if (tty && shown) out.write(st.line(width()));
  };
  const onEvent = (e: HistoryEvent): void => {
    if (e.t > st.now) st.now = e.t;
    switch (e.kind) {
      case 'phase':
        st.phase = e.phase;
        st.phaseAt = e.t;
        st.plannedMs = e.plannedMs;
        show(true);
        break;
      case 'sample':
        if (e.source === 'load') {
          windowLoads.push(e);
          return;
        }
        if (e.source === 'generator') {
          // All loads have reported this window by the generator's reading of the same tick.
          if (windowLoads.length > 0) {
            st.window(windowLoads);
            windowLoads = [];
          }
          show();
        }
        if (e.source === 'target') st.fds = e.processes.reduce((n, p) => n + p.fds.total, 0);
        // A remote target's handles, from an exporter (a failed reading keeps the last count).
        if (e.source === 'observer') {
          const handles = e.readings.filter((r) => r.figure === 'handles');
          if (handles.length > 0) st.fds = handles.reduce((n, r) => n + r.value, 0);
        }
        break;
      case 'probe':
        if (e.ok) st.probe = { ok: true };
        else
          st.probe = {
            ok: false,
            failingSince: st.probe?.ok === false ? st.probe.failingSince : e.t,
            ...(e.failure === undefined ? {} : { how: `${e.failure.kind} in ${e.failure.stage}` }),
          };
        break;
      case 'fault': {
        if (e.type === 'note') break;
        if (e.type === 'intent' || e.type === 'inject') st.faults.set(e.id, e.label);
        else st.faults.delete(e.id);
        const why = e.type === 'error' ? e.detail?.['message'] : undefined;
        const during = e.type === 'error' ? e.detail?.['during'] : undefined;
        say(
          `${stamp(e.t)} fault ${e.label}: ${FAULT_WORDS[e.type]}` +
            (typeof during === 'string' ? ` during ${during}` : '') +
            (typeof why === 'string' ? `: ${why}` : ''),
        );
        break;
      }
      case 'log':
        if (e.source === 'harness' && e.level !== 'info')
          say(`${stamp(e.t)} ${e.level === 'error' ? 'ERROR' : 'warning'}: ${e.message}`);
        break;
      default:
        break;
    }
  };
  out.write(`run ${meta.suite}: ${meta.file}, seed ${meta.seed}\n`);
  const unsubscribe = h.subscribe(onEvent);
  return () => {
    unsubscribe();
    if (tty && shown) out.write('\n');
  };
};
