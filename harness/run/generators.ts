// The suite's load in N generator processes, one execution segment each (k6's split: generator i runs
// segment i/N of every load). The pool starts them, starts load in all at once, asks each for its window
// at every observe interval and merges the windows exactly into one LoadSample per load, records each
// generator's health, takes in failed sessions as they end, and stops them. A generator that cannot start
// or dies during the run makes the run invalid (RUN_GENERATOR_FAILED): part of the load never ran.

import { availableParallelism } from 'node:os';
import type { LoadSample } from '../../model/history.ts';
import type { ExitInfo } from '../../model/process.ts';
import type { HistoryWriter } from '../history/writer.ts';
import { type FromGenerator, GENERATOR_PROTOCOL } from '../load/generator-protocol.ts';
import { mergeLoadSamples } from '../load/merge.ts';
import { type Segment, segmentText, split } from '../load/segment.ts';
import type { LoadTarget } from '../load/clients/types.ts';
import type { LoadSpec, ParsedSuite } from '../suite/schema.ts';
import type { Watchdog } from '../target/watchdog.ts';
import { INVALID } from '../../model/result.ts';
import { invalidate, log, onStop, type RunContext } from './context.ts';
import { type GeneratorProcess, spawnGenerator } from './generator-process.ts';

// How long a generator may take to start (load its modules and say hello).
const HELLO_MS = 30_000;
// How long a window's answer may take before the window is closed without it (it joins the next).
const WINDOW_ANSWER_MS = 5_000;
// How long a generator may take to stop after its drain, and to exit after its stdin closed.
const STOP_GRACE_MS = 10_000;
const EXIT_GRACE_MS = 5_000;

// How many generator processes a suite's load runs in; undefined: in the harness process itself. `auto`
// is the cores the target does not need, at least 1: the reference host takes one for its listener and
// one per service's worker, a program one.
export const generatorCount = (
  suite: Pick<ParsedSuite, 'generators' | 'target'>,
  cores = availableParallelism(),
): number | undefined => {
  if (suite.generators !== 'auto') return suite.generators;
  const target = suite.target.host === undefined ? 1 : 1 + suite.target.host.services.length;
  return Math.max(1, cores - target);
};

export type GeneratorPoolOptions = {
  count: number;
  watchdog: Watchdog;
  history: HistoryWriter;
  loads: readonly LoadSpec[];
  // Where each load goes, by load name (what the load's client reads).
  target: LoadTarget;
  seed: number;
  allowRemote: boolean;
  // A generator could not start, died, or broke the protocol: the run is invalid for this reason.
  onFailure: (message: string) => void;
  // Something a generator said that is worth a line in the history.
  onLog: (level: 'warn' | 'error', message: string, data: Record<string, unknown>) => void;
  // A generator process's argv instead of the usual (tests start one that misbehaves).
  argv?: (segment: Segment) => readonly string[];
  // How long the generators may take to start (HELLO_MS).
  helloMs?: number;
};

type Member = {
  p: GeneratorProcess;
  segment: Segment;
  hello: boolean;
  done: boolean;
  stopped: boolean;
  // Window answers by seq, until the pool takes them.
  answers: Map<number, LoadSample[]>;
};

const describeExit = (x: ExitInfo): string =>
  x.signal !== null ? `was killed by ${x.signal}` : `exited with code ${x.code}`;

export class GeneratorPool {
  readonly #o: GeneratorPoolOptions;
  readonly #members: Member[] = [];
  #closing = false;
  #failed = false;
  #seq = 0;
  #lastWindow = 0;
  #windowing: Promise<void> = Promise.resolve();
  #doneResolve!: () => void;
  readonly #done = new Promise<void>((r) => (this.#doneResolve = r));
  #changed: (() => void)[] = [];

  private constructor(o: GeneratorPoolOptions) {
    this.#o = o;
  }

  // Starts the generators and waits until each has said hello; undefined (after onFailure) when one
  // could not start.
  static async start(o: GeneratorPoolOptions): Promise<GeneratorPool | undefined> {
    const pool = new GeneratorPool(o);
    for (const segment of split(o.count)) pool.#spawn(segment);
    const helloMs = o.helloMs ?? HELLO_MS;
    const started = await pool.#until(() => pool.#members.every((m) => m.hello) || pool.#failed, helloMs);
    if (!started && !pool.#failed) {
      const slow = pool.#members.filter((m) => !m.hello).map((m) => pool.#name(m));
      pool.#fail(`${slow.join(', ')} did not start within ${helloMs / 1000}s`);
    }
    if (pool.#failed) {
      await pool.close();
      return undefined;
    }
    return pool;
  }

  // The generators' pids, by segment.
  get pids(): number[] {
    return this.#members.map((m) => m.p.pid);
  }

  // Starts load in every generator at the harness's run time now.
  start(): void {
    const t = this.#o.history.now();
    this.#lastWindow = t;
    for (const m of this.#members)
      m.p.send({
        op: 'start',
        loads: [...this.#o.loads],
        target: this.#o.target,
        seed: this.#o.seed,
        allowRemote: this.#o.allowRemote,
        segment: m.segment,
        t,
      });
  }

  // Resolves when every generator's models have run their course, or one failed.
  get done(): Promise<void> {
    return this.#done;
  }

  // Closes the window now in every generator and records the merged windows and each one's health.
  emitWindows(): Promise<void> {
    this.#windowing = this.#windowing.then(() => this.#window());
    return this.#windowing;
  }

  // Stops load in every generator: sessions in flight may finish for drainMs, then are cut off.
  async stop(drainMs: number): Promise<void> {
    for (const m of this.#members) m.p.send({ op: 'stop', drainMs });
    await this.#until(() => this.#members.every((m) => m.stopped || !m.p.running()), drainMs + STOP_GRACE_MS);
  }

  // Lets every generator go (each exits when its stdin closes) and kills what is left.
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#members.map((m) => m.p.close(EXIT_GRACE_MS)));
    this.#doneResolve();
  }

  #name(m: Member): string {
    return `generator ${m.segment.index} of ${m.segment.count} (segment ${segmentText(m.segment)}, pid ${m.p.pid})`;
  }

  #spawn(segment: Segment): void {
    const member: Member = {
      segment,
      hello: false,
      done: false,
      stopped: false,
      answers: new Map(),
      p: undefined as unknown as GeneratorProcess,
    };
    member.p = spawnGenerator(segment.index, {
      watchdog: this.#o.watchdog,
      onMessage: (msg) => this.#onMessage(member, msg),
      ...(this.#o.argv === undefined ? {} : { argv: this.#o.argv(segment) }),
    });
    this.#members.push(member);
    void member.p.exited.then((x) => {
      if (!this.#closing) {
        const last = member.p.lastLines().slice(-8);
        this.#fail(
          `${this.#name(member)} ${describeExit(x)} during the run` +
            (last.length === 0 ? '' : `; its last output:\n${last.join('\n')}`),
        );
      }
      this.#notify();
    });
  }

  #onMessage(m: Member, msg: FromGenerator): void {
    switch (msg.type) {
      case 'hello':
        if (msg.protocol !== GENERATOR_PROTOCOL) {
          this.#fail(`${this.#name(m)} speaks generator protocol ${msg.protocol}, not ${GENERATOR_PROTOCOL}`);
          break;
        }
        m.hello = true;
        break;
      case 'op':
        this.#o.history.append(msg.event);
        break;
      case 'window': {
        const h = this.#o.history;
        h.append({
          t: h.now(),
          kind: 'sample',
          source: 'generator',
          generator: m.segment.index,
          pid: m.p.pid,
          lagP99Ms: msg.health.lagP99Ms,
          lagMaxMs: msg.health.lagMaxMs,
          cpuPercent: msg.health.cpuPercent,
          ...(msg.health.loopCpuPercent === undefined ? {} : { loopCpuPercent: msg.health.loopCpuPercent }),
          rssBytes: msg.health.rssBytes,
        });
        m.answers.set(msg.seq, msg.samples);
        break;
      }
      case 'done':
        m.done = true;
        if (this.#members.every((x) => x.done)) this.#doneResolve();
        break;
      case 'stopped':
        m.stopped = true;
        break;
      case 'error':
        this.#o.onLog('warn', `${this.#name(m)}: ${msg.message}`, {
          generator: m.segment.index,
          pid: m.p.pid,
        });
        break;
    }
    this.#notify();
  }

  async #window(): Promise<void> {
    const h = this.#o.history;
    const seq = ++this.#seq;
    const t = h.now();
    const windowMs = t - this.#lastWindow;
    this.#lastWindow = t;
    const live = this.#members.filter((m) => m.p.running());
    for (const m of live) m.p.send({ op: 'window', seq });
    await this.#until(() => live.every((m) => m.answers.has(seq) || !m.p.running()), WINDOW_ANSWER_MS);
    const parts: LoadSample[] = [];
    for (const m of this.#members) {
      for (const [s, samples] of m.answers) {
        // An answer that came too late for its own window joins this one: nothing is lost.
        if (s <= seq) {
          parts.push(...samples);
          m.answers.delete(s);
        }
      }
    }
    for (const s of mergeLoadSamples(t, windowMs, parts)) h.append(s);
  }

  #fail(message: string): void {
    if (this.#closing) return;
    this.#failed = true;
    this.#o.onFailure(message);
    // The run goes on to its drain and stop: load is over.
    this.#doneResolve();
  }

  #notify(): void {
    const waiters = this.#changed;
    this.#changed = [];
    for (const w of waiters) w();
  }

  // Waits until `ok()` holds (checked whenever a generator says something or exits) or `ms` passed.
  async #until(ok: () => boolean, ms: number): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!ok()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#changed.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }
}

// Starts the run's generators before load (they stop when the run stops); undefined, and the run
// invalid, when one could not start.
export const startGenerators = async (
  ctx: RunContext,
  count: number,
  target: LoadTarget,
): Promise<GeneratorPool | undefined> => {
  const { suite } = ctx;
  const fail = (message: string) => {
    invalidate(ctx, INVALID.GeneratorFailed, message);
    log(ctx, 'error', message);
  };
  const pool = await GeneratorPool.start({
    count,
    watchdog: ctx.watchdog,
    history: ctx.h,
    loads: suite.load,
    target,
    seed: ctx.seed,
    allowRemote: suite.allowRemote,
    onFailure: fail,
    onLog: (level, message, data) => log(ctx, level, message, data),
  });
  if (pool === undefined) return undefined;
  onStop(ctx, () => pool.close());
  log(ctx, 'info', `load runs in ${count} generator process(es), one execution segment each`, {
    generators: pool.pids.map((pid, i) => ({ pid, segment: segmentText({ index: i, count }) })),
  });
  return pool;
};
