// Paces session starts: at most `perTurn` start in one turn of the event loop, the rest in the turns after,
// first come first served. Ten thousand sessions started in one synchronous loop (a closed model's lanes
// all start at once) stall the event loop for seconds and grow the heap for every connect in flight at
// once; a few dozen per turn open them as fast while timers, probes and replies keep running between.

// How many sessions start per turn of the event loop by default (a connect costs about 0.1 ms of CPU).
export const STARTS_PER_TURN = 64;

export class Admission {
  readonly perTurn: number;
  #queue: ((() => void) | undefined)[] = [];
  #head = 0;
  #used = 0;
  #scheduled = false;

  constructor(perTurn = STARTS_PER_TURN) {
    this.perTurn = perTurn;
  }

  // Starts waiting to be admitted.
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  // Runs `start` in this turn if the turn has room and nobody waits, else in a later turn; resolves with
  // what `start` resolves with.
  admit<T>(start: () => Promise<T>): Promise<T> {
    if (this.#used < this.perTurn && this.waiting === 0) {
      this.#used++;
      this.#schedule();
      return start();
    }
    return new Promise<T>((resolve) => {
      this.#queue.push(() => resolve(start()));
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#turn());
  }

  #turn(): void {
    this.#scheduled = false;
    this.#used = 0;
    while (this.#used < this.perTurn && this.#head < this.#queue.length) {
      const start = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined;
      this.#used++;
      start();
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    // The turn that used its budget keeps counting until the next one starts.
    if (this.waiting > 0 || this.#used > 0) this.#schedule();
  }
}
