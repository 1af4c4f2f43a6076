// latency: every chunk is handed on `latency` ms (+/- up to `jitter`) after it arrived, in order;
// the close follows the last chunk without a delay of its own.

import { ScheduledStage, type StageContext } from '../stage.ts';

// The latency toxic on one direction of one connection.
export class LatencyStage extends ScheduledStage {
  readonly #latency: number;
  readonly #jitter: number;

  constructor(ctx: StageContext, a: Record<string, number>) {
    super(ctx);
    this.#latency = a['latency']!;
    this.#jitter = a['jitter']!;
  }

  protected override push(chunk: Buffer, now: number): void {
    const jitter = this.#jitter === 0 ? 0 : (this.ctx.random() * 2 - 1) * this.#jitter;
    this.schedule(chunk, now + Math.max(0, this.#latency + jitter), now);
  }
}
