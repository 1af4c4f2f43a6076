// reset_peer: the first data (or close) from the sender starts the count; `timeout` ms later (0: at
// once) the connection is reset, RST to both peers. Data meanwhile is dropped. Removed while a count
// runs: the reset happens at once, since the connection has already lost bytes.

import type { Downstream, Stage, StageContext } from '../stage.ts';

// The reset_peer toxic on one direction of one connection.
export class ResetPeerStage implements Stage {
  next: Downstream = { data: () => {}, end: () => {} };
  readonly #ctx: StageContext;
  readonly #timeout: number;
  #timer: NodeJS.Timeout | undefined;
  #triggered = false;
  #done = false;

  constructor(ctx: StageContext, a: Record<string, number>) {
    this.#ctx = ctx;
    this.#timeout = a['timeout']!;
  }

  write(chunk: Buffer): void {
    this.#ctx.stats.dropped += chunk.length;
    this.#ctx.discard(chunk.length);
    this.#trigger();
  }

  end(): void {
    this.#trigger();
  }

  drain(): void {
    clearTimeout(this.#timer);
    if (this.#triggered) this.#reset();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#done = true;
  }

  #trigger(): void {
    if (this.#triggered) return;
    this.#triggered = true;
    if (this.#timeout === 0) this.#reset();
    else this.#timer = setTimeout(() => this.#reset(), this.#timeout);
  }

  #reset(): void {
    if (this.#done) return;
    this.#done = true;
    this.#ctx.stats.resets++;
    this.#ctx.reset();
  }
}
