// The load generator's own health: event-loop lag, CPU of this process, and CPU of its event-loop thread.
// A generator that cannot keep up would show as target latency; this lets the run call itself invalid
// instead. What cannot keep up is the event loop, one thread: the process's CPU also counts V8's
// garbage-collector threads and libuv's thread pool, which run beside it (a process at 130% of a core
// can have an event loop 60% busy), so saturation is judged on the loop's thread where Node reads it.

import { monitorEventLoopDelay } from 'node:perf_hooks';

export type GeneratorReading = {
  lagP99Ms: number;
  lagMaxMs: number;
  cpuPercent: number;
  // The event-loop thread's CPU (absent where Node cannot read a thread's).
  loopCpuPercent?: number;
};

type Usage = { user: number; system: number };
// process.threadCpuUsage is Node 23.9 and later; @types/node may not know it.
const threadCpu = (process as { threadCpuUsage?: (prev?: Usage) => Usage }).threadCpuUsage?.bind(process);

export class GeneratorHealth {
  #h = monitorEventLoopDelay({ resolution: 10 });
  #cpu = process.cpuUsage();
  #loopCpu = threadCpu?.();
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
    const loop = this.#loopCpu === undefined ? undefined : threadCpu?.(this.#loopCpu);
    const elapsedUs = (now - this.#at) * 1000;
    const share = (u: Usage) => (elapsedUs > 0 ? ((u.user + u.system) / elapsedUs) * 100 : 0);
    const r: GeneratorReading = {
      lagP99Ms: this.#h.percentile(99) / 1e6,
      lagMaxMs: this.#h.max / 1e6,
      cpuPercent: share(cpu),
      ...(loop === undefined ? {} : { loopCpuPercent: share(loop) }),
    };
    this.#h.reset();
    this.#cpu = process.cpuUsage();
    this.#loopCpu = threadCpu?.();
    this.#at = now;
    return r;
  }
}

// A generator is saturated when its event loop (or, where that is not read, the process) spent this share
// of a core for this many samples in a row.
export const SATURATED_CPU_PERCENT = 90;
export const SATURATED_SAMPLES = 4;

// The CPU share saturation is judged on: the event loop's thread where read, else the process's.
export const judgedCpu = (r: Pick<GeneratorReading, 'cpuPercent' | 'loopCpuPercent'>): number =>
  r.loopCpuPercent ?? r.cpuPercent;

// Readings in a row at or above SATURATED_CPU_PERCENT, per generator (the harness, or a generator process).
export class SaturationWatch {
  #inRow = new Map<string, number>();

  // How many readings in a row `who` has been saturated, once that reaches SATURATED_SAMPLES; else undefined.
  saturated(who: string, cpuPercent: number): number | undefined {
    // cpuPercent: the event loop's when read, else the process's (see GeneratorReading).
    const n = cpuPercent >= SATURATED_CPU_PERCENT ? (this.#inRow.get(who) ?? 0) + 1 : 0;
    this.#inRow.set(who, n);
    return n >= SATURATED_SAMPLES ? n : undefined;
  }
}
