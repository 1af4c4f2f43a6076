// Counters and latency histograms of one load, summarised into a LoadSample per window. Latency is that
// of sessions (and calls) that succeeded: a fast failure is not a fast answer. Failed sessions have
// their own histogram, the time it took them to fail, from their intended start.

import type { LoadSample, OpFailure } from '../../model/history.ts';
import { newHistogram, recordMs, summarise } from '../../model/latency.ts';

export class LoadStats {
  readonly load: string;
  active = 0;
  // Totals over the run, for progress and summaries.
  totals = { started: 0, ok: 0, failed: 0, dropped: 0 };
  #started = 0;
  #ok = 0;
  #failed: Record<string, number> = {};
  #dropped = 0;
  #calls = { ok: 0, failed: 0 };
  #corrected = newHistogram();
  #uncorrected = newHistogram();
  #call = newHistogram();
  #failedTime = newHistogram();

  constructor(load: string) {
    this.load = load;
  }

  started(): void {
    this.#started++;
    this.totals.started++;
    this.active++;
  }

  dropped(): void {
    this.#dropped++;
    this.totals.dropped++;
  }

  call(ok: boolean, ms: number): void {
    if (!ok) {
      this.#calls.failed++;
      return;
    }
    this.#calls.ok++;
    recordMs(this.#call, ms);
  }

  // A session finished; latency from its intended start (corrected) and its actual start.
  finished(failure: OpFailure | undefined, correctedMs: number, uncorrectedMs: number): void {
    this.active--;
    if (failure !== undefined) {
      this.#failed[failure.kind] = (this.#failed[failure.kind] ?? 0) + 1;
      this.totals.failed++;
      recordMs(this.#failedTime, correctedMs);
      return;
    }
    this.#ok++;
    this.totals.ok++;
    recordMs(this.#corrected, correctedMs);
    recordMs(this.#uncorrected, uncorrectedMs);
  }

  // The window's sample; counters and histograms start over.
  window(t: number, windowMs: number): LoadSample {
    const s: LoadSample = {
      t,
      kind: 'sample',
      source: 'load',
      load: this.load,
      windowMs,
      started: this.#started,
      ok: this.#ok,
      failed: this.#failed,
      dropped: this.#dropped,
      active: this.active,
      calls: this.#calls,
      latency: {
        corrected: summarise(this.#corrected),
        uncorrected: summarise(this.#uncorrected),
        call: summarise(this.#call),
        failed: summarise(this.#failedTime),
      },
    };
    this.#started = 0;
    this.#ok = 0;
    this.#failed = {};
    this.#dropped = 0;
    this.#calls = { ok: 0, failed: 0 };
    this.#corrected.reset();
    this.#uncorrected.reset();
    this.#call.reset();
    this.#failedTime.reset();
    return s;
  }
}
