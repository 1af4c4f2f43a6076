// timeout: no data passes (it is dropped, as Toxiproxy does); `timeout` ms after the toxic began
// acting on the connection, the connection is closed (0: never). A close from the sender passes.
// Removed while a connection is still open: a connection that lost bytes is closed, since its stream
// can no longer be trusted; one that lost none goes on.

import type { Downstream, Stage, StageContext } from '../stage.ts';

// The timeout toxic on one direction of one connection.
export class TimeoutStage implements Stage {
  next: Downstream = { data: () => {}, end: () => {} };
  readonly #ctx: StageContext;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;
  #closed = false;

  constructor(ctx: StageContext, a: Record<string, number>) {
    this.#ctx = ctx;
    const ms = a['timeout']!;
    if (ms > 0) this.#timer = setTimeout(() => this.#close(), ms);
  }

  write(chunk: Buffer): void {
    this.#dropped += chunk.length;
    this.#ctx.stats.dropped += chunk.length;
    this.#ctx.discard(chunk.length);
  }

  end(): void {
    this.next.end();
  }

  drain(): void {
    clearTimeout(this.#timer);
    if (this.#dropped > 0) this.#close();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#closed = true;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer = undefined;
    this.#ctx.stats.closes++;
    this.#ctx.close();
  }
}
