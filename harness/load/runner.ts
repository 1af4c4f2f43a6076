// Runs a suite's loads: each model schedules sessions, the runner launches them, records every
// completed session as an op and each window as a LoadSample, and drains or cuts off what is in
// flight when load stops.

import type { NetTcpTarget } from '../../clients/nettcp/index.ts';
import type { HistoryWriter } from '../history/writer.ts';
import type { LoadSpec } from '../suite/schema.ts';
import { Admission } from './admission.ts';
import { modelOf } from './models/index.ts';
import { seededRandom } from './random.ts';
import { scale, type Segment, WHOLE } from './segment.ts';
import { type SessionMessages, sessionMessages } from './messages.ts';
import { runSession } from './session-runner.ts';
import { LoadStats } from './stats.ts';

export type LoadRunnerOptions = {
  loads: readonly LoadSpec[];
  // The net.tcp target of a load's via.
  targetOf: (load: LoadSpec) => NetTcpTarget;
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
  #stopped = false;
  // Aborts sessions still in flight when the drain ends: one controller per session, since every listener
  // added to one shared AbortSignal walks all the others (thousands of sessions made it quadratic).
  #cuts = new Set<AbortController>();
  #cut = false;
  #inFlight = new Set<Promise<void>>();
  #admission = new Admission();
  #sessionIds = 0;
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
    this.#done = Promise.all(
      this.#o.loads.map((spec, i) => {
        const stats = this.stats[i]!;
        const target = this.#o.targetOf(spec);
        const payload = seededRandom(this.#o.seed, `payload:${spec.name}`).bytes(spec.session.payload);
        const messages = sessionMessages(spec.session, payload, target.via);
        const model = modelOf(spec);
        const segment = this.#o.segment ?? WHOLE;
        const max = model.maxInFlight?.(spec);
        const cap = max === undefined ? Infinity : scale(segment, max);
        return model.run(spec, start + spec.startAt, {
          segment,
          now: () => h.now(),
          stopped: () => this.#stopped,
          sleepUntil: (t) => this.#sleepUntil(t),
          launch: (intended) => {
            if (stats.active >= cap) {
              stats.dropped();
              return Promise.resolve();
            }
            return this.#launch(spec, stats, target, messages, intended);
          },
        });
      }),
    ).then(() => undefined);
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
  }

  // Stops starting sessions; waits up to `drainMs` for those in flight, then aborts the rest
  // (recorded as info: their outcome is unknown).
  async stop(drainMs: number): Promise<void> {
    this.#stopped = true;
    const drained = Promise.all([...this.#inFlight]).then(() => true);
    const timedOut = new Promise<boolean>((r) => setTimeout(() => r(false), drainMs).unref());
    if (!(await Promise.race([drained, timedOut]))) {
      this.#cut = true;
      for (const c of this.#cuts) c.abort();
      await Promise.all([...this.#inFlight]);
    }
    await this.done;
  }

  #sleepUntil(t: number): Promise<void> {
    const ms = t - this.#o.history.now();
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  #launch(
    spec: LoadSpec,
    stats: LoadStats,
    target: NetTcpTarget,
    messages: () => SessionMessages,
    intended: number,
  ): Promise<void> {
    stats.started();
    const p = this.#admission.admit(() => this.#run(spec, stats, target, messages, intended));
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
    return p;
  }

  #run(
    spec: LoadSpec,
    stats: LoadStats,
    target: NetTcpTarget,
    messages: () => SessionMessages,
    intended: number,
  ): Promise<void> {
    const h = this.#o.history;
    const session = ++this.#sessionIds;
    const start = h.now();
    const cutter = new AbortController();
    // A session still waiting for its turn when the drain ended starts cut off.
    if (this.#cut) cutter.abort();
    this.#cuts.add(cutter);
    return runSession(target, spec.session, messages(), {
      allowRemote: this.#o.allowRemote,
      signal: cutter.signal,
      onCall: (ok, ms) => stats.call(ok, ms),
    }).then((outcome) => {
      const end = h.now();
      this.#cuts.delete(cutter);
      const cut = !outcome.ok && outcome.failure.kind === 'aborted' && cutter.signal.aborted;
      const failure = outcome.ok ? undefined : outcome.failure;
      stats.finished(failure, end - intended, end - start);
      h.append({
        t: end,
        kind: 'op',
        type: outcome.ok ? 'ok' : cut ? 'info' : 'fail',
        load: spec.name,
        session,
        intended,
        start,
        ms: end - intended,
        uncorrectedMs: end - start,
        calls: outcome.calls,
        ...(failure === undefined ? {} : { failure }),
      });
    });
  }
}
