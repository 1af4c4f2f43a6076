// The Prometheus text exposition format (version 0.0.4, and OpenMetrics' sample lines), read into
// samples: name, labels, value. Comments, HELP and TYPE lines, timestamps and exemplars are skipped.
// Hand-written: npm's one parser for it (parse-prometheus-text-format) has had no release since 2019 and
// keeps values as strings; what observers need is sample lines with escaped label values.

import { CodedError } from '../../../protocol/index.ts';
import { HarnessErrorCode, type HarnessErrorCodeValue } from '../../errors.ts';

export type PromSample = { name: string; labels: Record<string, string>; value: number };

// A line of an exposition that is not a sample, a comment or blank.
export class PromTextError extends CodedError<HarnessErrorCodeValue> {
  override name = 'PromTextError';
  constructor(line: number, message: string) {
    super(HarnessErrorCode.PromText, `line ${line}: ${message}`);
  }
}

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

const number = (s: string): number | undefined => {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  const n = Number(s);
  return s.trim() === '' || Number.isNaN(n) ? undefined : n;
};

// Reads one sample line; throws a message for what is wrong with it.
const sampleLine = (line: string): PromSample => {
  NAME.lastIndex = 0;
  const m = NAME.exec(line);
  if (m === null) throw new Error('expected a metric name');
  let i = m[0].length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') break;
      LABEL.lastIndex = i;
      const l = LABEL.exec(line);
      if (l === null) throw new Error(`expected a label name at column ${i + 1}`);
      i += l[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=' || line[i + 1] !== '"') throw new Error(`expected ="value" after ${l[0]}`);
      i += 2;
      let v = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`label ${l[0]}: unterminated value`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          v += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
        } else v += c;
      }
      // defineProperty: a label named __proto__ is a label like any other.
      Object.defineProperty(labels, l[0], { value: v, enumerable: true, writable: true, configurable: true });
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error(`expected , or } after label ${l[0]}`);
    }
    i++;
  }
  // Value, then an optional timestamp and an OpenMetrics exemplar (after #), both ignored.
  const rest = line.slice(i).split('#')[0]!.trim().split(/\s+/);
  const value = number(rest[0] ?? '');
  if (value === undefined) throw new Error(`expected a value, got ${JSON.stringify(rest[0] ?? '')}`);
  return { name: m[0], labels, value };
};

// Every sample of an exposition, in order.
export const parsePrometheusText = (text: string): PromSample[] => {
  const out: PromSample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      out.push(sampleLine(line));
    } catch (e) {
      throw new PromTextError(n + 1, `${(e as Error).message}: ${line.slice(0, 120)}`);
    }
  }
  return out;
};
