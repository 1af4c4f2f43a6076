// Appends events to history.ndjson as they happen and keeps the in-memory History checks read.

import { createWriteStream, type WriteStream } from 'node:fs';
import type { History, HistoryEvent, MetaEvent } from '../../model/history.ts';

// Failed ops kept in memory beyond this are counted, not kept (they stay on disk).
const MAX_FAILED_OPS_IN_MEMORY = 10_000;

export class HistoryWriter {
  readonly history: History;
  readonly #out: WriteStream | undefined;
  readonly #t0: number;
  #failedOps = 0;
  #listeners: ((e: HistoryEvent) => void)[] = [];

  // `file` undefined keeps the history in memory only (tests).
  constructor(meta: Omit<MetaEvent, 't' | 'kind'>, file?: string) {
    this.#t0 = performance.now();
    const m: MetaEvent = { t: 0, kind: 'meta', ...meta };
    this.history = { meta: m, events: [m] };
    this.#out = file === undefined ? undefined : createWriteStream(file, { flags: 'w' });
    this.#out?.write(`${JSON.stringify(m)}\n`);
  }

  // Milliseconds since the run started.
  now(): number {
    return performance.now() - this.#t0;
  }

  // The monotonic time (performance.now()) of a run time `t`.
  toMonotonic(t: number): number {
    return this.#t0 + t;
  }

  // Appends an event. A session that succeeded is counted in its load's windows (counts and
  // HdrHistograms) and goes to the listeners only: a line each made a soak's history grow about 1 MB a
  // minute, and nothing reads it back. Failed and cut-off sessions are written, and kept in memory up to
  // a cap (past it they stay on disk).
  append(e: HistoryEvent): void {
    const ok = e.kind === 'op' && e.type === 'ok';
    if (!ok) this.#out?.write(`${JSON.stringify(e, roundFloats)}\n`);
    const keep = e.kind !== 'op' || (!ok && this.#failedOps++ < MAX_FAILED_OPS_IN_MEMORY);
    if (keep) this.history.events.push(e);
    for (const l of this.#listeners) l(e);
  }

  // Calls `fn` with every event appended from now on (the progress display listens here).
  subscribe(fn: (e: HistoryEvent) => void): () => void {
    this.#listeners.push(fn);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== fn);
    };
  }

  // Flushes and closes the file.
  close(): Promise<void> {
    const out = this.#out;
    if (out === undefined || out.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      out.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

// Times to the microsecond and other floats to 4 decimals keep the file readable and small.
const roundFloats = (_k: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
