// The load generator's own health: event-loop lag and CPU of this process. A generator that cannot
// keep up would show as target latency; this lets the run call itself invalid instead.

import { monitorEventLoopDelay } from 'node:perf_hooks';

export type GeneratorReading = { lagP99Ms: number; lagMaxMs: number; cpuPercent: number };

export class GeneratorHealth {
  #h = monitorEventLoopDelay({ resolution: 10 });
  #cpu = process.cpuUsage();
  #at = performance.now();

  start(): void {
    this.#h.enable();
  }

  stop(): void {
    this.#h.disable();
  }

  // Readings since the last call.
  read(): GeneratorReading {
    const now = performance.now();
    const cpu = process.cpuUsage(this.#cpu);
    const elapsedUs = (now - this.#at) * 1000;
    const r = {
      lagP99Ms: this.#h.percentile(99) / 1e6,
      lagMaxMs: this.#h.max / 1e6,
      cpuPercent: elapsedUs > 0 ? ((cpu.user + cpu.system) / elapsedUs) * 100 : 0,
    };
    this.#h.reset();
    this.#cpu = process.cpuUsage();
    this.#at = now;
    return r;
  }
}

// A generator is saturated when it spent this share of a core for this many samples in a row.
export const SATURATED_CPU_PERCENT = 90;
export const SATURATED_SAMPLES = 4;

// Readings in a row at or above SATURATED_CPU_PERCENT, per generator (the harness, or a generator process).
export class SaturationWatch {
  #inRow = new Map<string, number>();

  // How many readings in a row `who` has been saturated, once that reaches SATURATED_SAMPLES; else undefined.
  saturated(who: string, cpuPercent: number): number | undefined {
    const n = cpuPercent >= SATURATED_CPU_PERCENT ? (this.#inRow.get(who) ?? 0) + 1 : 0;
    this.#inRow.set(who, n);
    return n >= SATURATED_SAMPLES ? n : undefined;
  }
}
