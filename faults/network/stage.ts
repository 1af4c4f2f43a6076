// A toxic acting on one direction of one connection: a stage in that direction's chain. Data enters
// with write/end and leaves through `next` (the next stage, or the socket at the end), in order.

import type { ToxicStats } from './toxic-spec.ts';

// Where a stage hands data on.
export type Downstream = { data: (chunk: Buffer) => void; end: () => void };

// What a stage may do beyond passing data on, and where it counts what it did.
export type StageContext = {
  // Ends the whole connection: FIN to both peers.
  close: () => void;
  // Resets the whole connection: RST to both peers.
  reset: () => void;
  // Bytes the stage swallowed, so the direction's flow control does not wait for them.
  discard: (bytes: number) => void;
  // The toxic's own random numbers in [0, 1) (jitter, slice sizes), seeded.
  random: () => number;
  stats: ToxicStats;
};

// One toxic on one direction of one connection.
export type Stage = {
  next: Downstream;
  write: (chunk: Buffer) => void;
  end: () => void;
  // The toxic is removed: hand on at once whatever it holds back, and stop acting.
  drain: () => void;
  // The connection is gone: stop every timer.
  dispose: () => void;
};

// Hands data on at given times, in order. Latency, bandwidth and slicer are this with different
// times; a chunk never overtakes an earlier one, as on a TCP stream.
export class ScheduledStage implements Stage {
  next: Downstream = { data: () => {}, end: () => {} };
  protected readonly ctx: StageContext;
  // When the last queued item is due (performance.now() ms); later items are never due earlier.
  protected lastDue = 0;
  readonly #queue: { due: number; arrived: number; chunk: Buffer | undefined }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(ctx: StageContext) {
    this.ctx = ctx;
  }

  write(chunk: Buffer): void {
    this.push(chunk, performance.now());
  }

  end(): void {
    this.#enqueue(Math.max(performance.now(), this.lastDue), undefined, performance.now());
  }

  drain(): void {
    this.#flush(Infinity);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  // Schedules a chunk that arrived at `now`; the default passes it on at once (kept in order).
  protected push(chunk: Buffer, now: number): void {
    this.schedule(chunk, Math.max(now, this.lastDue), now);
  }

  protected schedule(chunk: Buffer, due: number, arrived: number): void {
    this.#enqueue(Math.max(due, this.lastDue), chunk, arrived);
  }

  #enqueue(due: number, chunk: Buffer | undefined, arrived: number): void {
    if (this.#disposed) return;
    this.lastDue = due;
    this.#queue.push({ due, arrived, chunk });
    if (this.#queue.length === 1) this.#pump();
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Timers fire up to a millisecond early or late; what is due within half of one goes now.
    this.#flush(performance.now() + 0.5);
    const head = this.#queue[0];
    if (head !== undefined && !this.#disposed) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, head.due - performance.now()));
    }
  }

  #flush(until: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (!this.#disposed) {
      const head = this.#queue[0];
      if (head === undefined || head.due > until) return;
      this.#queue.shift();
      if (head.chunk === undefined) {
        this.next.end();
        continue;
      }
      const s = this.ctx.stats;
      s.bytes += head.chunk.length;
      s.chunks++;
      s.maxDelayMs = Math.max(s.maxDelayMs, Math.round(performance.now() - head.arrived));
      this.next.data(head.chunk);
    }
  }
}
