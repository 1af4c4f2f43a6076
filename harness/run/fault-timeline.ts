// The fault timeline: each fault injected at its time from the start of load and healed after its
// duration; whatever is still active heals in reverse order when the run ends, however it ends. Each
// fault's intent goes to the journal (fsynced) before it acts, then its active state and its heal, so a
// run that starts after a crashed one can heal what this one left open.

import { FAULTS } from '../../faults/index.ts';
import { HarnessError, HarnessErrorCode, StepTimeout } from '../errors.ts';
import type { NetworkProxy } from '../../faults/network/types.ts';
import type { AnyFault, FaultContext, FaultSpecBase, FaultTarget, Safeguard } from '../../faults/types.ts';
import type { FaultEvent } from '../../model/history.ts';
import type { HistoryWriter } from '../history/writer.ts';
import { seededRandom } from '../load/random.ts';
import type { Watchdog } from '../target/watchdog.ts';
import type { Journal } from './journal.ts';

// A fault as the timeline runs it: a validated spec, with its id and occurrence when scheduled by the suite.
export type TimelineSpec = FaultSpecBase & {
  id?: string;
  name?: string;
  occurrence?: { n: number; of: number };
} & Record<string, unknown>;

type Entry = {
  id: string;
  fault: AnyFault;
  spec: TimelineSpec;
  label: string;
  timers: NodeJS.Timeout[];
  active?: unknown;
  state: 'pending' | 'injecting' | 'active' | 'healed' | 'failed';
  releases: (() => void)[];
};

export type FaultTimelineOptions = {
  // The fault kinds by name (the registry; tests pass their own).
  faults?: ReadonlyMap<string, AnyFault>;
  // How long an inject (beyond its spec's duration and delay) and a heal may take; tests shorten them.
  limits?: { injectMs?: number; healMs?: number };
  specs: readonly TimelineSpec[];
  target: FaultTarget;
  history: HistoryWriter;
  watchdog: Watchdog;
  seed: number;
  signal: AbortSignal;
  // Where each fault's intent, state and heal are written before it acts (absent in unit tests).
  journal?: Journal;
  // The TCP proxy in front of the target, when the suite has network faults.
  network?: NetworkProxy;
};

// A fault acting through a target that stopped answering must not hang the run: an inject may take
// 30s beyond what it waits on purpose (its budget: by default its duration), a heal 30s.
const STEP_LIMIT_MS = 30_000;
const injectLimitMs = (
  fault: AnyFault,
  spec: FaultSpecBase & Record<string, unknown>,
  base: number,
): number => base + (fault.injectBudgetMs !== undefined ? fault.injectBudgetMs(spec) : (spec.duration ?? 0));

// Resolves like `p`, or rejects with a StepTimeout after `ms`.
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new StepTimeout(`${what} did not finish within ${ms / 1000}s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });

export class FaultTimeline {
  readonly #o: FaultTimelineOptions;
  readonly #entries: Entry[];
  // Injection order, so heals run in reverse.
  #injected: Entry[] = [];
  #busy = new Set<Promise<void>>();

  constructor(o: FaultTimelineOptions) {
    this.#o = o;
    const registry = o.faults ?? FAULTS;
    this.#entries = o.specs.map((spec, i) => {
      const fault = registry.get(spec.kind);
      if (fault === undefined)
        throw new HarnessError(
          HarnessErrorCode.UnknownFault,
          `no fault kind is named ${JSON.stringify(spec.kind)}`,
        );
      // A repeating fault's occurrences carry their own id and say which one they are.
      const id = spec.id ?? `${spec.kind}#${i}`;
      const occ = spec.occurrence;
      const label = spec.name ?? fault.describe(spec);
      return {
        id,
        fault,
        spec,
        label: occ === undefined ? label : `${label} (${occ.n} of ${occ.of})`,
        timers: [],
        state: 'pending',
        releases: [],
      };
    });
  }

  // Faults active now, by label (for progress).
  get active(): string[] {
    return this.#entries.filter((e) => e.state === 'active' || e.state === 'injecting').map((e) => e.label);
  }

  // Schedules every fault relative to `loadStart` (run time).
  start(loadStart: number): void {
    const h = this.#o.history;
    for (const e of this.#entries) {
      const delay = Math.max(0, loadStart + e.spec.at - h.now());
      e.timers.push(setTimeout(() => this.#track(this.#inject(e)), delay));
    }
  }

  // Cancels what has not started and heals what is active, in reverse order of injection.
  async healAll(): Promise<void> {
    for (const e of this.#entries) for (const t of e.timers) clearTimeout(t);
    await Promise.all([...this.#busy]);
    for (const e of [...this.#injected].reverse()) await this.#heal(e);
  }

  #track(p: Promise<void>): void {
    this.#busy.add(p);
    void p.finally(() => this.#busy.delete(p));
  }

  #context(e: Entry): FaultContext {
    const h = this.#o.history;
    const random = seededRandom(this.#o.seed, `fault:${e.id}`);
    return {
      target: this.#o.target,
      random: () => random.float(),
      note: (detail) =>
        h.append({
          t: h.now(),
          kind: 'fault',
          type: 'note',
          id: e.id,
          fault: e.spec.kind,
          label: e.label,
          detail,
        }),
      safeguard: (s: Safeguard) => {
        const release = this.#o.watchdog.guard(s);
        e.releases.push(release);
        return release;
      },
      signal: this.#o.signal,
      network: this.#o.network,
    };
  }

  // Appends an event of `e` to the history, at `t` (now unless given).
  #record(e: Entry, type: FaultEvent['type'], detail?: Record<string, unknown>, t?: number): void {
    const h = this.#o.history;
    h.append({
      t: t ?? h.now(),
      kind: 'fault',
      id: e.id,
      fault: e.spec.kind,
      label: e.label,
      type,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  // Records that `e` failed `during` a step; the run goes on.
  #error(e: Entry, during: 'journal' | 'inject' | 'heal', err: unknown): void {
    this.#record(e, 'error', { during, message: (err as Error).message });
  }

  async #inject(e: Entry): Promise<void> {
    if (this.#o.signal.aborted || e.state !== 'pending') return;
    const h = this.#o.history;
    // The intent is written before the fault acts.
    const intentAt = h.now();
    this.#record(e, 'intent', { spec: e.spec }, intentAt);
    const journal = this.#o.journal;
    try {
      journal?.intent(e.id, e.spec.kind, e.label, e.spec);
    } catch (err) {
      // No journal, no fault: it could not be healed after a crash.
      e.state = 'failed';
      this.#error(e, 'journal', err);
      return;
    }
    e.state = 'injecting';
    this.#injected.push(e);
    const injecting = e.fault.inject(e.spec, this.#context(e));
    try {
      e.active = await within(
        injecting,
        injectLimitMs(e.fault, e.spec, this.#o.limits?.injectMs ?? STEP_LIMIT_MS),
        'the inject',
      );
      e.state = 'active';
      journal?.active(e.id, e.active);
      this.#record(e, 'inject', { active: e.active });
    } catch (err) {
      // A failed inject undoes its own part; an active state the journal refused still gets healed.
      if (e.state === 'active') {
        this.#error(e, 'journal', err);
        await this.#heal(e);
        return;
      }
      e.state = 'failed';
      journal?.failed(e.id, (err as Error).message);
      // An inject we gave up on may still take effect later: undo it then.
      if (err instanceof StepTimeout)
        void injecting.then((a) => e.fault.heal(a, this.#context(e))).catch(() => {});
      this.#error(e, 'inject', err);
      for (const r of e.releases) r();
      return;
    }
    if (e.spec.duration === undefined) await this.#heal(e);
    // The duration counts from when the fault began to act, not from when its inject returned (an
    // inject may measure or wait before returning), so a 3s fault lasts 3s.
    else
      e.timers.push(
        setTimeout(() => this.#track(this.#heal(e)), Math.max(0, intentAt + e.spec.duration - h.now())),
      );
  }

  async #heal(e: Entry): Promise<void> {
    if (e.state !== 'active') return;
    e.state = 'healed';
    try {
      await within(
        e.fault.heal(e.active, this.#context(e)),
        this.#o.limits?.healMs ?? STEP_LIMIT_MS,
        'the heal',
      );
      this.#o.journal?.healed(e.id);
      this.#record(e, 'heal');
    } catch (err) {
      this.#o.journal?.healFailed(e.id, (err as Error).message);
      this.#error(e, 'heal', err);
    } finally {
      for (const r of e.releases) r();
    }
  }
}
