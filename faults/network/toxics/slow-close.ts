// slow_close: data passes as it comes; the close (FIN) waits `delay` ms before it is passed on.

import type { Downstream, Stage, StageContext } from '../stage.ts';

// The slow_close toxic on one direction of one connection.
export class SlowCloseStage implements Stage {
  next: Downstream = { data: () => {}, end: () => {} };
  readonly #ctx: StageContext;
  readonly #delay: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(ctx: StageContext, a: Record<string, number>) {
    this.#ctx = ctx;
    this.#delay = a['delay']!;
  }

  write(chunk: Buffer): void {
    this.#ctx.stats.bytes += chunk.length;
    this.next.data(chunk);
  }

  end(): void {
    this.#ctx.stats.delayedCloses++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.next.end();
    }, this.#delay);
  }

  drain(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.next.end();
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
