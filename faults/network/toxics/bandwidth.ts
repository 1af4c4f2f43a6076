// bandwidth: at most `rate` KB/s (1 KB = 1000 bytes, so `rate` bytes per ms) are handed on. A chunk
// leaves once the time its bytes take at that rate has passed after the previous one; chunks larger
// than 100ms of data are cut so the stream moves in steps of at most 100ms.

import { ScheduledStage, type StageContext } from '../stage.ts';

// The bandwidth toxic on one direction of one connection.
export class BandwidthStage extends ScheduledStage {
  readonly #bytesPerMs: number;

  constructor(ctx: StageContext, a: Record<string, number>) {
    super(ctx);
    this.#bytesPerMs = a['rate']!;
  }

  protected override push(chunk: Buffer, now: number): void {
    const step = Math.max(1, this.#bytesPerMs * 100);
    for (let at = 0; at < chunk.length; at += step) {
      const piece = chunk.subarray(at, at + step);
      this.schedule(piece, Math.max(now, this.lastDue) + piece.length / this.#bytesPerMs, now);
    }
  }
}
