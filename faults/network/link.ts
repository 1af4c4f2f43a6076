// One direction of a proxied connection: bytes read from one socket pass through the toxics acting on
// this direction, in the order they were added, and are written to the other socket. The sender is
// paused while too much is held back, so a slow toxic slows the sender instead of filling memory.

import type { Socket } from 'node:net';
import type { Downstream, Stage } from './stage.ts';
import type { Stream } from './toxic-spec.ts';

// Bytes held in one direction (read, not yet written or dropped) before the sender is paused.
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

const into = (stage: Stage): Downstream => ({ data: (c) => stage.write(c), end: () => stage.end() });

// One direction of one connection, with its chain of toxic stages.
export class Link {
  readonly stream: Stream;
  readonly #source: Socket;
  readonly #sink: Socket;
  readonly #stages: { name: string; stage: Stage }[] = [];
  readonly #toSink: Downstream;
  #entry: Downstream;
  #held = 0;
  #paused = false;
  #sinkEnded = false;
  #disposed = false;

  constructor(stream: Stream, source: Socket, sink: Socket) {
    this.stream = stream;
    this.#source = source;
    this.#sink = sink;
    this.#toSink = {
      data: (chunk) => {
        if (this.#disposed) return;
        this.#held -= chunk.length;
        if (!sink.write(chunk)) this.#pause();
        else this.#maybeResume();
      },
      end: () => {
        if (this.#disposed || this.#sinkEnded) return;
        this.#sinkEnded = true;
        sink.end();
      },
    };
    this.#entry = this.#toSink;
    source.on('data', (chunk: Buffer) => {
      if (this.#disposed) return;
      this.#held += chunk.length;
      if (this.#held > HIGH_WATER) this.#pause();
      this.#entry.data(chunk);
    });
    source.on('end', () => {
      if (!this.#disposed) this.#entry.end();
    });
    sink.on('drain', () => this.#maybeResume());
  }

  // Whether the close has reached the far socket: nothing more can pass.
  get ended(): boolean {
    return this.#sinkEnded || this.#disposed;
  }

  // Adds a toxic's stage after those already here; false when this direction is already over.
  add(name: string, stage: Stage): boolean {
    if (this.ended) return false;
    this.#stages.push({ name, stage });
    this.#rewire();
    return true;
  }

  // Removes a toxic's stage: what it holds back goes on at once, and later data passes it by.
  remove(name: string): void {
    const i = this.#stages.findIndex((s) => s.name === name);
    if (i < 0) return;
    const { stage } = this.#stages[i]!;
    // A connection already gone has nothing to hand on (and must not be closed twice).
    if (!this.#disposed) stage.drain();
    this.#stages.splice(i, 1);
    this.#rewire();
    stage.dispose();
  }

  // Bytes a stage dropped: they no longer count as held back.
  discard(bytes: number): void {
    this.#held -= bytes;
    this.#maybeResume();
  }

  // The connection is gone: every stage stops, nothing more passes.
  dispose(): void {
    this.#disposed = true;
    for (const { stage } of this.#stages) stage.dispose();
  }

  #rewire(): void {
    this.#stages.forEach(({ stage }, i) => {
      const after = this.#stages[i + 1];
      stage.next = after === undefined ? this.#toSink : into(after.stage);
    });
    const first = this.#stages[0];
    this.#entry = first === undefined ? this.#toSink : into(first.stage);
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#source.pause();
  }

  #maybeResume(): void {
    if (!this.#paused || this.#held >= LOW_WATER || this.#sink.writableNeedDrain) return;
    this.#paused = false;
    this.#source.resume();
  }
}
