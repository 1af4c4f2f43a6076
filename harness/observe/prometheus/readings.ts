// Samples (scraped or queried) made into figure readings: the samples of each figure's metric that the
// selection and label matches keep, summed per subject (a process by its pid label, a group by its name,
// or the host), broken down by a parts label (TCP state), and CPU counters made into a rate between two
// readings. A figure no sample matched has no reading: never a zero.

import { FIGURE_NAMES, type FigureName, type FigureReading, type Subject } from '../../../model/figures.ts';
import { type ExporterMapping, type MetricRule, normaliseState } from './exporters.ts';
import type { PromSample } from './text.ts';

// A figure's rule as an observer runs it: a mapping's rule, or the suite's own metric or query.
export type FigureRule = MetricRule & { query?: string };

export type ReadingOptions = {
  rules: Partial<Record<FigureName, FigureRule>>;
  countProcessesOf?: ExporterMapping['countProcessesOf'];
  // Which names count as the target (a whole-name regular expression), and labels every sample must have.
  select?: RegExp;
  match: Readonly<Record<string, string>>;
};

// The name of a windows_exporter process without the #N older releases add to tell duplicates apart.
const bareName = (s: string): string => s.replace(/#\d+$/, '');

const subjectOf = (rule: FigureRule, labels: Record<string, string>): Subject | undefined => {
  if (rule.nameLabel === undefined) {
    if (rule.query === undefined || Object.keys(labels).length === 0)
      return { key: 'host', name: 'the host', scope: 'host' };
    const text = Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return { key: `series:${text}`, name: text, scope: 'group' };
  }
  const raw = labels[rule.nameLabel];
  if (raw === undefined) return undefined;
  const name = bareName(raw);
  const pid = rule.pidLabel === undefined ? NaN : Number(labels[rule.pidLabel]);
  return Number.isInteger(pid) && pid > 0
    ? { key: `pid:${pid}`, name, scope: 'process', pid }
    : { key: `group:${name}`, name, scope: 'group' };
};

// The labels that name a subject's series in evidence.
const identity = (rule: FigureRule, labels: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = { ...rule.where };
  for (const k of [rule.nameLabel, rule.pidLabel])
    if (k !== undefined && labels[k] !== undefined) out[k] = labels[k];
  return out;
};

export class ReadingMaker {
  readonly #o: ReadingOptions;
  // The last value of each CPU counter, by figure and subject, with its run time (ms).
  #counters = new Map<string, { t: number; seconds: number }>();

  constructor(o: ReadingOptions) {
    this.#o = o;
  }

  // The samples a rule reads: of its first metric present (any name for a query), with its labels.
  #samplesOf(rule: FigureRule, all: readonly PromSample[]): { metric: string; samples: PromSample[] } {
    const keep = (s: PromSample): boolean =>
      Object.entries({ ...rule.where, ...(rule.query === undefined ? this.#o.match : {}) }).every(
        ([k, v]) => s.labels[k] === v,
      ) &&
      (rule.nameLabel === undefined ||
        this.#o.select === undefined ||
        this.#o.select.test(bareName(s.labels[rule.nameLabel] ?? '')));
    if (rule.query !== undefined) return { metric: rule.query, samples: all.filter(keep) };
    for (const metric of rule.metrics) {
      const samples = all.filter((s) => s.name === metric);
      if (samples.length > 0) return { metric, samples: samples.filter(keep) };
    }
    return { metric: rule.metrics[0] ?? '', samples: [] };
  }

  // Subjects whose group has no process now (their series stay at 0).
  #empty(rule: FigureRule, all: readonly PromSample[]): Set<string> {
    const out = new Set<string>();
    if (rule.emptyWhen === undefined || rule.nameLabel === undefined) return out;
    for (const s of all)
      if (s.name === rule.emptyWhen.metric && s.value === 0) out.add(s.labels[rule.nameLabel] ?? '');
    return out;
  }

  // The readings of one figure at run time `t`, from `samples` (a whole scrape, or its query's result).
  figure(figure: FigureName, samples: readonly PromSample[], t: number): FigureReading[] {
    const rule = this.#o.rules[figure];
    if (rule === undefined) return [];
    const { metric, samples: kept } = this.#samplesOf(rule, samples);
    const empty = this.#empty(rule, samples);
    const bySubject = new Map<string, FigureReading>();
    for (const s of kept) {
      if (rule.nameLabel !== undefined && empty.has(s.labels[rule.nameLabel] ?? '')) continue;
      if (!Number.isFinite(s.value)) continue;
      const subject = subjectOf(rule, s.labels);
      if (subject === undefined) continue;
      let r = bySubject.get(subject.key);
      if (r === undefined) {
        r = {
          figure,
          subject,
          value: 0,
          ...(rule.query === undefined
            ? { metric, labels: identity(rule, s.labels) }
            : { query: rule.query }),
        };
        bySubject.set(subject.key, r);
      }
      if (rule.partsLabel !== undefined) {
        const raw = s.labels[rule.partsLabel];
        if (raw === undefined || rule.skipParts?.includes(raw) === true) continue;
        const part = normaliseState(raw);
        r.parts = { ...r.parts, [part]: (r.parts?.[part] ?? 0) + s.value };
      }
      r.value += s.value;
    }
    const out = [...bySubject.values()];
    if (rule.counter !== true) return out;
    // Counters: the rate since this subject's last reading, in percent of one core.
    return out.flatMap((r) => {
      const key = `${figure} ${r.subject.key}`;
      const prev = this.#counters.get(key);
      this.#counters.set(key, { t, seconds: r.value });
      if (prev === undefined || t <= prev.t || r.value < prev.seconds) return [];
      return [{ ...r, value: ((r.value - prev.seconds) / ((t - prev.t) / 1000)) * 100 }];
    });
  }

  // Every figure's readings at run time `t` from one scrape's samples.
  all(samples: readonly PromSample[], t: number): FigureReading[] {
    const figures = FIGURE_NAMES.filter((f) => this.#o.rules[f] !== undefined);
    const out = figures.flatMap((f) => this.figure(f, samples, t));
    return [...out, ...this.processCount(out)];
  }

  // processes, where the mapping counts them: the distinct processes among one figure's subjects.
  processCount(readings: readonly FigureReading[]): FigureReading[] {
    const of = this.#o.countProcessesOf;
    if (of === undefined || this.#o.rules.processes !== undefined || this.#o.rules[of] === undefined)
      return [];
    const pids = new Set(
      readings.filter((r) => r.figure === of && r.subject.pid !== undefined).map((r) => r.subject.pid),
    );
    const source = readings.find((r) => r.figure === of);
    return [
      {
        figure: 'processes',
        subject: { key: 'selected', name: 'the selected processes', scope: 'group' },
        value: pids.size,
        ...(source?.metric === undefined ? {} : { metric: `count of ${source.metric}` }),
      },
    ];
  }
}
