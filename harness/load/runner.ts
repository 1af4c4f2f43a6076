// Runs a suite's loads: each load's client follows its model's schedule, records every session into the
// load's stats and as an op; the runner emits each window as a LoadSample, and stops (drains, then cuts
// off) every load when load stops.

import type { HistoryWriter } from '../history/writer.ts';
import type { LoadSpec } from '../suite/schema.ts';
import { clientOf } from './clients/index.ts';
import type { ClientLoad, LoadTarget } from './clients/types.ts';
import { modelOf } from './models/index.ts';
import { type Segment, WHOLE } from './segment.ts';
import { LoadStats } from './stats.ts';
import { favourMemoryAt, restoreMemoryMode } from './memory-mode.ts';

export type { LoadTarget } from './clients/types.ts';

export type LoadRunnerOptions = {
  loads: readonly LoadSpec[];
  // Where the loads go: relative vias and urls resolve against it.
  target: LoadTarget;
  seed: number;
  allowRemote: boolean;
  // Where sessions and windows go: the run's history, or a generator's stream back to the harness.
  history: Pick<HistoryWriter, 'now' | 'append'>;
  // The part of every load this runner runs (a generator's execution segment); the whole by default.
  segment?: Segment;
};

export class LoadRunner {
  readonly stats: LoadStats[];
  #o: LoadRunnerOptions;
  #loads: ClientLoad[] = [];
  #done: Promise<void> | undefined;
  #lastWindow = 0;

  constructor(o: LoadRunnerOptions) {
    this.#o = o;
    this.stats = o.loads.map((l) => new LoadStats(l.name));
  }

  // Starts every load at its startAt offset from now; `done` resolves when every model has finished.
  start(): void {
    const h = this.#o.history;
    const start = h.now();
    this.#lastWindow = start;
    this.#loads = this.#o.loads.map((spec, i) =>
      // The load's client runs it on its model's schedule.
      clientOf(spec).start(spec, {
        name: spec.name,
        schedule: modelOf(spec).schedule(spec, this.#o.segment ?? WHOLE),
        start: start + spec.startAt,
        stats: this.stats[i]!,
        now: () => h.now(),
        op: (e) => h.append(e),
        seed: this.#o.seed,
        allowRemote: this.#o.allowRemote,
        target: this.#o.target,
      }),
    );
    this.#done = Promise.all(this.#loads.map((l) => l.done)).then(() => undefined);
  }

  // Resolves when every load's model has run its course (or load was stopped).
  get done(): Promise<void> {
    return this.#done ?? Promise.resolve();
  }

  // Sessions in flight across loads.
  get active(): number {
    return this.stats.reduce((n, s) => n + s.active, 0);
  }

  // Appends a LoadSample per load for the window since the last call.
  emitWindows(): void {
    const h = this.#o.history;
    const t = h.now();
    const windowMs = t - this.#lastWindow;
    this.#lastWindow = t;
    for (const s of this.stats) h.append(s.window(t, windowMs));
    favourMemoryAt(this.active);
  }

  // Stops starting sessions; waits up to `drainMs` for those in flight, then aborts the rest
  // (recorded as info: their outcome is unknown). Called again with 0, it cuts a drain short.
  async stop(drainMs: number): Promise<void> {
    await Promise.all(this.#loads.map((l) => l.stop(drainMs)));
    await this.done;
    restoreMemoryMode();
  }
}
