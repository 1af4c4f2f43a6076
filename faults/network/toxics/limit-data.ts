// limit_data: `bytes` bytes pass (counted from when the toxic began acting on the connection), then
// the connection is closed, FIN to both peers; bytes beyond the limit are dropped.

import type { Downstream, Stage, StageContext } from '../stage.ts';

// The limit_data toxic on one direction of one connection.
export class LimitDataStage implements Stage {
  next: Downstream = { data: () => {}, end: () => {} };
  readonly #ctx: StageContext;
  readonly #limit: number;
  #passed = 0;
  #closed = false;

  constructor(ctx: StageContext, a: Record<string, number>) {
    this.#ctx = ctx;
    this.#limit = a['bytes']!;
  }

  write(chunk: Buffer): void {
    const room = Math.max(0, this.#limit - this.#passed);
    const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
    const over = chunk.length - piece.length;
    if (over > 0) {
      this.#ctx.stats.dropped += over;
      this.#ctx.discard(over);
    }
    if (piece.length > 0) {
      this.#passed += piece.length;
      this.#ctx.stats.bytes += piece.length;
      this.next.data(piece);
    }
    if (this.#passed >= this.#limit && !this.#closed) {
      this.#closed = true;
      this.#ctx.stats.closes++;
      this.#ctx.close();
    }
  }

  end(): void {
    this.next.end();
  }

  drain(): void {}

  dispose(): void {
    this.#closed = true;
  }
}
