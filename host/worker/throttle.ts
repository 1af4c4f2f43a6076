// A counting throttle with a FIFO queue, as WCF's ServiceThrottle: at most `limit` holders at once;
// the rest wait in arrival order and get a slot as one is released.

import { HostError, HostErrorCode } from '../errors.ts';

export class Throttle {
  readonly limit: number;
  #active = 0;
  #waiters: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a throttle limit must be >= 1, got ${limit}`);
    this.limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiters.length;
  }

  // Every slot is held (whether or not anyone waits).
  get saturated(): boolean {
    return this.#active >= this.limit;
  }

  // Takes a slot if one is free and nobody waits for it first.
  tryAcquire(): boolean {
    if (this.#active >= this.limit || this.#waiters.length > 0) return false;
    this.#active++;
    return true;
  }

  // Resolves once a slot is held.
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  // Gives a slot back; the longest waiter gets it.
  release(): void {
    if (this.#active === 0)
      throw new HostError(HostErrorCode.Internal, 'throttle released more often than acquired');
    const next = this.#waiters.shift();
    if (next === undefined) this.#active--;
    else next();
  }
}
