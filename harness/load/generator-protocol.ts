// What the harness and a load generator say to each other: one JSON object a line, over the generator's
// stdin and stdout here, over a TCP connection when a generator runs on another machine. The harness
// starts load at its run time `t`, asks for a window at each observe interval and stops load; the
// generator answers each window with its LoadSamples (encoded HdrHistograms, which the harness merges
// exactly) and its own health, and streams failed and cut-off sessions as they end. Ok sessions are only
// counted in the windows.

import type { GeneratorSample, LoadSample, OpEvent } from '../../model/history.ts';
import type { LoadSpec } from '../suite/schema.ts';
import type { Segment } from './segment.ts';
import type { LoadTarget } from './clients/types.ts';

// Changes when a message changes; both sides say theirs first and refuse another.
export const GENERATOR_PROTOCOL = 1;

// How a generator is doing, with each window.
export type GeneratorHealthReading = Pick<
  GeneratorSample,
  'lagP99Ms' | 'lagMaxMs' | 'cpuPercent' | 'loopCpuPercent'
> & {
  rssBytes: number;
};

export type ToGenerator =
  | {
      op: 'start';
      // Every load of the suite; the generator runs its segment of each.
      loads: LoadSpec[];
      // Where the loads go (relative vias and urls resolve against it), as the harness's own runner has it.
      target: LoadTarget;
      seed: number;
      allowRemote: boolean;
      segment: Segment;
      // The harness's run time now: the generator's clock counts on from it.
      t: number;
    }
  // Close the window now and send it.
  | { op: 'window'; seq: number }
  // Stop starting sessions; let those in flight finish for up to drainMs, then cut them off.
  | { op: 'stop'; drainMs: number };

export type FromGenerator =
  | { type: 'hello'; protocol: number; pid: number; node: string }
  | { type: 'op'; event: OpEvent }
  | { type: 'window'; seq: number; samples: LoadSample[]; health: GeneratorHealthReading }
  // Every model has finished scheduling (sessions may still be in flight).
  | { type: 'done' }
  // Load stopped and drained.
  | { type: 'stopped' }
  | { type: 'error'; message: string };

// A message as its line.
export const encodeMessage = (m: ToGenerator | FromGenerator): string => `${JSON.stringify(m)}\n`;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// A line's JSON object, or undefined for a line that is not one.
const parseObject = (line: string): Record<string, unknown> | undefined => {
  try {
    const m: unknown = JSON.parse(line);
    return isObject(m) ? m : undefined;
  } catch {
    return undefined;
  }
};

// A line from a generator as its message, or undefined for a line that is not one (a generator's stray
// output, a line from another version).
export const decodeFromGenerator = (line: string): FromGenerator | undefined => {
  const m = parseObject(line);
  if (m === undefined) return undefined;
  switch (m['type']) {
    case 'hello':
      return isNumber(m['protocol']) && isNumber(m['pid']) && typeof m['node'] === 'string'
        ? (m as FromGenerator)
        : undefined;
    case 'op':
      return isObject(m['event']) && m['event']['kind'] === 'op' ? (m as FromGenerator) : undefined;
    case 'window': {
      const health = m['health'];
      return isNumber(m['seq']) &&
        Array.isArray(m['samples']) &&
        m['samples'].every((s) => isObject(s) && s['kind'] === 'sample' && s['source'] === 'load') &&
        isObject(health) &&
        ['lagP99Ms', 'lagMaxMs', 'cpuPercent', 'rssBytes'].every((k) => isNumber(health[k])) &&
        (health['loopCpuPercent'] === undefined || isNumber(health['loopCpuPercent']))
        ? (m as FromGenerator)
        : undefined;
    }
    case 'done':
    case 'stopped':
      return m as FromGenerator;
    case 'error':
      return typeof m['message'] === 'string' ? (m as FromGenerator) : undefined;
    default:
      return undefined;
  }
};

// A line from the harness as its message, or undefined.
export const decodeToGenerator = (line: string): ToGenerator | undefined => {
  const m = parseObject(line);
  if (m === undefined) return undefined;
  switch (m['op']) {
    case 'start': {
      const s = m['segment'];
      return Array.isArray(m['loads']) &&
        isObject(m['target']) &&
        isNumber(m['seed']) &&
        typeof m['allowRemote'] === 'boolean' &&
        isNumber(m['t']) &&
        isObject(s) &&
        Number.isInteger(s['count']) &&
        Number.isInteger(s['index']) &&
        (s['count'] as number) >= 1 &&
        (s['index'] as number) >= 0 &&
        (s['index'] as number) < (s['count'] as number)
        ? (m as ToGenerator)
        : undefined;
    }
    case 'window':
      return isNumber(m['seq']) ? (m as ToGenerator) : undefined;
    case 'stop':
      return isNumber(m['drainMs']) ? (m as ToGenerator) : undefined;
    default:
      return undefined;
  }
};
