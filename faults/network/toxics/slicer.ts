// slicer: every chunk is cut into slices of about `average_size` bytes (+/- `size_variation`), each
// written on its own, `delay` microseconds apart (timers round that up to whole milliseconds).

import { ScheduledStage, type StageContext } from '../stage.ts';

// Slice sizes for `length` bytes: each average +/- variation (at least 1), the last one what is left.
export const sliceSizes = (
  length: number,
  average: number,
  variation: number,
  random: () => number,
): number[] => {
  const sizes: number[] = [];
  let left = length;
  while (left > 0) {
    const size = Math.max(1, Math.min(left, average + Math.round((random() * 2 - 1) * variation)));
    sizes.push(size);
    left -= size;
  }
  return sizes;
};

// The slicer toxic on one direction of one connection.
export class SlicerStage extends ScheduledStage {
  readonly #average: number;
  readonly #variation: number;
  readonly #delayMs: number;

  constructor(ctx: StageContext, a: Record<string, number>) {
    super(ctx);
    this.#average = a['average_size']!;
    this.#variation = a['size_variation']!;
    this.#delayMs = a['delay']! / 1000;
  }

  protected override push(chunk: Buffer, now: number): void {
    let due = Math.max(now, this.lastDue);
    let at = 0;
    for (const size of sliceSizes(chunk.length, this.#average, this.#variation, this.ctx.random)) {
      this.schedule(chunk.subarray(at, at + size), due, now);
      at += size;
      due += this.#delayMs;
    }
    // The next chunk's first slice also waits `delay` after this one's last.
    this.lastDue = due;
  }
}
