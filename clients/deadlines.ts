// One coarse timer wheel for many deadlines (calls in flight), instead of a timer per call.
// Hand-written: it is 50 lines, and the npm timer-wheel packages are unmaintained or callback-per-tick.

export type DeadlineHandle = { readonly bucket: number; readonly fn: () => void };

// Deadlines fire at most `resolutionMs` late; the interval runs only while deadlines are pending.
export class DeadlineWheel {
  readonly resolutionMs: number;
  #buckets = new Map<number, Set<DeadlineHandle>>();
  #size = 0;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(resolutionMs = 5) {
    this.resolutionMs = resolutionMs;
  }

  get size(): number {
    return this.#size;
  }

  // Calls fn once performance.now() passes atMs (rounded up to the resolution).
  add(atMs: number, fn: () => void): DeadlineHandle {
    if (this.#size === 0) {
      this.#next = Math.floor(performance.now() / this.resolutionMs);
      this.#timer = setInterval(() => this.#tick(), this.resolutionMs).unref();
    }
    // A deadline already past goes in the next bucket the wheel will visit.
    const bucket = Math.max(Math.ceil(atMs / this.resolutionMs), this.#next);
    const h = { bucket, fn };
    const set = this.#buckets.get(bucket);
    if (set === undefined) this.#buckets.set(bucket, new Set([h]));
    else set.add(h);
    this.#size++;
    return h;
  }

  // Cancels a deadline; harmless if it already fired.
  cancel(h: DeadlineHandle): void {
    const set = this.#buckets.get(h.bucket);
    if (set?.delete(h)) {
      if (set.size === 0) this.#buckets.delete(h.bucket);
      this.#drop(1);
    }
  }

  #tick(): void {
    const now = Math.floor(performance.now() / this.resolutionMs);
    // Walk every bucket up to now: a late tick (event-loop lag) still fires what came due meanwhile.
    for (; this.#next <= now && this.#size > 0; this.#next++) {
      const set = this.#buckets.get(this.#next);
      if (set === undefined) continue;
      this.#buckets.delete(this.#next);
      this.#drop(set.size);
      for (const h of set) h.fn();
    }
  }

  #drop(n: number): void {
    this.#size -= n;
    if (this.#size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

// The wheel the clients share by default.
export const sharedDeadlines = new DeadlineWheel();
