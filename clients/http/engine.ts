// One HTTP load with autocannon as the engine: autocannon opens the connections, writes the pre-built
// request, pipelines and parses; the engine decides when each request goes (the load model), keeps each
// request's intended start, checks each reply, and reports every request to the harness's recorder (its
// LoadStats: counts and HdrHistograms per window) and, if asked, as an op. autocannon's own histograms
// are not used: see clients/http/README.md, "What an HTTP load measures".

import autocannon, { type AutocannonHistogram, type AutocannonInstance } from 'autocannon';
import { isIP } from 'node:net';
import { resolveHost } from '../loopback.ts';
import type { HttpFailure } from './failure.ts';
import { Fifo } from './fifo.ts';
import { type HookedConnection, hookConnection } from './hooks.ts';
import { type PreparedRequest, prepareRequest } from './request.ts';
import type { Schedule } from '../../model/arrivals.ts';
import { checkLoadSpec, HTTP_DEFAULTS, type HttpLoadSpec, scheduleOf } from './spec.ts';

// Where the engine reports: the shape of the harness's LoadStats (harness/load/stats.ts), so the harness
// passes its own and emits a LoadSample per window exactly as for net.tcp.
export type HttpLoadRecorder = {
  // A request started (open models: its arrival was not dropped; it may still wait for a connection).
  started(): void;
  // An arrival found maxInFlight requests waiting or in flight.
  dropped(): void;
  // The request itself: ok or not, ms from when it was sent.
  call(ok: boolean, ms: number): void;
  // A request finished: ms from its intended start (corrected) and from when it was sent (uncorrected).
  finished(failure: HttpFailure | undefined, correctedMs: number, uncorrectedMs: number): void;
};

// One finished request, for the History (an op: ok, fail, or info when cut off by the end of load).
// Times are the callbacks' clock.
export type HttpOp = {
  type: 'ok' | 'fail' | 'info';
  id: number;
  intended: number;
  start: number;
  end: number;
  ms: number;
  uncorrectedMs: number;
  // The HTTP status, when a response came; the failure, when it failed.
  status: number | undefined;
  failure: HttpFailure | undefined;
};

// What the caller gives the engine.
export type HttpLoadCallbacks = {
  recorder?: HttpLoadRecorder;
  onOp?: (op: HttpOp) => void;
  // The clock, in ms (the harness's run time). Default: performance.now.
  now?: () => number;
};

// Counts over the whole load.
export type HttpTotals = {
  started: number;
  ok: number;
  failed: Record<string, number>;
  dropped: number;
  // Requests in flight (or waiting) when stop's drain ran out; counted in failed.aborted too.
  cut: number;
};

// A running load.
export type HttpLoad = {
  // Resolves when the model's schedule is over (requests may still be in flight).
  readonly done: Promise<void>;
  // Requests waiting for a connection or in flight.
  readonly active: number;
  readonly totals: HttpTotals;
  // Stops starting requests, lets those in flight finish for up to drainMs, cuts the rest (aborted, op
  // type info) and closes every connection. Called again, it waits for the first call (with drainMs 0,
  // it ends that call's drain now).
  stop(drainMs: number): Promise<HttpTotals>;
};

type Entry = { id: number; intended: number; sent: number | undefined };
type Slot = { conn: HookedConnection | undefined; inFlight: Entry[]; free: number; queued: boolean };

const NOOP_RECORDER: HttpLoadRecorder = { started() {}, dropped() {}, call() {}, finished() {} };
// How long autocannon may run past the model if stop is never called (its own end destroys every connection).
const SAFETY_MS = 600_000;
// How often autocannon looks at its stop flag.
const SAMPLE_MS = 100;
// autocannon records every response's latency into a histogram of its own, which the engine never reads
// (see the README): its `histograms` option takes this one instead, which keeps nothing.
const UNUSED_LATENCIES: AutocannonHistogram = {
  __custom: true,
  recordValue() {},
  recordValueWithExpectedInterval() {},
  reset() {},
  destroy() {},
};

class Engine implements HttpLoad {
  readonly totals: HttpTotals = { started: 0, ok: 0, failed: {}, dropped: 0, cut: 0 };
  readonly done: Promise<void>;
  #resolveDone!: () => void;
  #now: () => number;
  #rec: HttpLoadRecorder;
  #onOp: ((op: HttpOp) => void) | undefined;
  #req: PreparedRequest;
  #schedule: Schedule;
  #open: boolean;
  #maxInFlight: number;
  #slots: Slot[] = [];
  #idle = new Fifo<Slot>();
  #pending = new Fifo<Entry>();
  #active = 0;
  #ids = 0;
  // Closed model: whether a free slot sends at once.
  #sending: boolean;
  #stopping = false;
  #stopped: Promise<HttpTotals> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #drained: (() => void) | undefined;
  #instance: AutocannonInstance | undefined;
  #instanceEnded: Promise<void> = Promise.resolve();

  constructor(spec: HttpLoadSpec, cb: HttpLoadCallbacks) {
    this.#now = cb.now ?? (() => performance.now());
    this.#rec = cb.recorder ?? NOOP_RECORDER;
    this.#onOp = cb.onOp;
    this.#req = prepareRequest(spec);
    this.#schedule = scheduleOf(spec);
    this.#open = this.#schedule.kind === 'open';
    this.#sending = !this.#open;
    this.#maxInFlight = this.#schedule.kind === 'open' ? this.#schedule.maxInFlight : Infinity;
    this.done = new Promise((r) => (this.#resolveDone = r));
  }

  get active(): number {
    return this.#active;
  }

  start(spec: HttpLoadSpec, origin: string): void {
    const req = this.#req;
    const url = new URL(spec.url);
    const schedule = this.#schedule;
    const ms = schedule.durationMs;
    const events = (slot: Slot) => ({
      free: () => this.#free(slot),
      response: (status: number, body: string) => this.#response(slot, status, body),
      replacing: () => this.#replacing(slot),
    });
    this.#instance = autocannon({
      url: origin,
      connections:
        schedule.kind === 'closed' ? schedule.lanes : (spec.connections ?? HTTP_DEFAULTS.connections),
      pipelining: spec.pipelining ?? HTTP_DEFAULTS.pipelining,
      duration: (ms + SAFETY_MS) / 1000,
      timeout: (spec.timeoutMs ?? HTTP_DEFAULTS.timeoutMs) / 1000,
      requests: [
        { method: req.method, path: req.path, headers: { ...req.headers, Host: url.host }, body: req.body },
      ],
      setupClient: (client) => {
        const slot: Slot = { conn: undefined, inFlight: [], free: 0, queued: false };
        this.#slots.push(slot);
        slot.conn = hookConnection(client, events(slot));
      },
      sampleInt: SAMPLE_MS,
      skipAggregateResult: true,
      histograms: { latencies: UNUSED_LATENCIES },
    });
    // The model's clock starts once autocannon has its connections under way (its set-up takes tens of
    // ms the first time, which would otherwise count as every early request's latency).
    const start = this.#now();
    this.#instanceEnded = new Promise<void>((resolve) => {
      this.#instance!.then(
        () => resolve(),
        () => resolve(),
      );
    }).then(() => {
      // autocannon ended on its own (its safety duration): nothing more can be sent.
      if (this.#stopped === undefined) void this.stop(0);
    });
    if (schedule.kind === 'closed') {
      this.#timer = setTimeout(() => this.#endSchedule(), Math.max(0, start + ms - this.#now()));
      return;
    }
    this.#release(start, schedule.arrivals());
  }

  // Releases every arrival that is due, then sleeps until the next one; one timer, whatever the rate.
  #release(start: number, arrivals: Iterator<number>): void {
    let next = arrivals.next();
    const tick = (): void => {
      const now = this.#now();
      while (!next.done && start + next.value <= now && !this.#stopping) {
        this.#arrive(start + next.value);
        next = arrivals.next();
      }
      if (next.done || this.#stopping) return this.#endSchedule();
      this.#timer = setTimeout(tick, start + next.value - now);
    };
    tick();
  }

  #endSchedule(): void {
    this.#sending = false;
    clearTimeout(this.#timer);
    this.#resolveDone();
  }

  #arrive(intended: number): void {
    if (this.#active >= this.#maxInFlight) {
      this.totals.dropped++;
      this.#rec.dropped();
      return;
    }
    this.#started();
    const entry: Entry = { id: ++this.#ids, intended, sent: undefined };
    const slot = this.#takeIdle();
    if (slot === undefined) this.#pending.push(entry);
    else this.#send(slot, entry);
  }

  #started(): void {
    this.#active++;
    this.totals.started++;
    this.#rec.started();
  }

  // A free pipeline slot: an open model gives it the oldest waiting arrival, a closed one a new request.
  #free(slot: Slot): void {
    if (this.#open) {
      const entry = this.#pending.take();
      if (entry !== undefined) return this.#send(slot, entry);
    } else if (this.#sending) {
      this.#started();
      const now = this.#now();
      return this.#send(slot, { id: ++this.#ids, intended: now, sent: undefined }, now);
    }
    slot.free++;
    if (!slot.queued) {
      slot.queued = true;
      this.#idle.push(slot);
    }
  }

  // A free slot, connections in turn (so each is used and none idles into autocannon's timeout).
  #takeIdle(): Slot | undefined {
    for (let s = this.#idle.take(); s !== undefined; s = this.#idle.take()) {
      s.queued = false;
      if (s.free === 0) continue; // its connection was replaced since
      s.free--;
      if (s.free > 0) {
        s.queued = true;
        this.#idle.push(s);
      }
      return s;
    }
    return undefined;
  }

  #send(slot: Slot, entry: Entry, now = this.#now()): void {
    entry.sent = now;
    slot.inFlight.push(entry);
    slot.conn!.send();
  }

  #response(slot: Slot, status: number, body: string): void {
    const entry = slot.inFlight.shift();
    if (entry === undefined) return;
    this.#finish(entry, this.#req.check(status, body), status);
  }

  #replacing(slot: Slot): (why: HttpFailure) => void {
    const lost = slot.inFlight.splice(0);
    slot.free = 0;
    return (why) => {
      for (const e of lost) this.#finish(e, why);
    };
  }

  #finish(e: Entry, failure: HttpFailure | undefined, status?: number, cut = false): void {
    const end = this.#now();
    const ms = end - e.intended;
    const uncorrected = e.sent === undefined ? ms : end - e.sent;
    this.#active--;
    if (e.sent !== undefined) this.#rec.call(failure === undefined, uncorrected);
    this.#rec.finished(failure, ms, uncorrected);
    if (failure === undefined) this.totals.ok++;
    else this.totals.failed[failure.kind] = (this.totals.failed[failure.kind] ?? 0) + 1;
    if (cut) this.totals.cut++;
    // One object of one shape per request (no spreads): this runs for every response.
    this.#onOp?.({
      type: failure === undefined ? 'ok' : cut ? 'info' : 'fail',
      id: e.id,
      intended: e.intended,
      start: e.sent ?? end,
      end,
      ms,
      uncorrectedMs: uncorrected,
      status,
      failure,
    });
    if (this.#active === 0) this.#drained?.();
  }

  stop(drainMs: number): Promise<HttpTotals> {
    // A second stop with no drain (an interrupted run) cuts a drain under way short.
    if (this.#stopped !== undefined && drainMs === 0) this.#drained?.();
    this.#stopped ??= this.#stop(drainMs);
    return this.#stopped;
  }

  async #stop(drainMs: number): Promise<HttpTotals> {
    this.#stopping = true;
    this.#endSchedule();
    if (this.#active > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        timer = setTimeout(resolve, drainMs);
      });
      clearTimeout(timer);
    }
    const aborted: HttpFailure = { kind: 'aborted', stage: 'call', message: 'load stopped' };
    for (const e of this.#pending.drain()) this.#finish(e, aborted, undefined, true);
    for (const s of this.#slots)
      for (const e of s.inFlight.splice(0)) this.#finish(e, aborted, undefined, true);
    for (const s of this.#slots) s.conn?.destroy();
    this.#instance?.stop();
    await this.#instanceEnded;
    return this.totals;
  }
}

// Starts one HTTP load (the spec is checked first: HTTP_BAD_SPEC; the host must be loopback unless
// allowRemote: CLIENT_REMOTE_TARGET).
export const startHttpLoad = async (
  spec: HttpLoadSpec,
  callbacks: HttpLoadCallbacks = {},
): Promise<HttpLoad> => {
  checkLoadSpec(spec);
  const url = new URL(spec.url);
  const ip = await resolveHost(url.hostname, spec.allowRemote ?? false);
  const origin = `http://${isIP(ip) === 6 ? `[${ip}]` : ip}:${url.port || 80}`;
  const engine = new Engine(spec, callbacks);
  engine.start(spec, origin);
  return engine;
};
