// prometheus: the target read through Prometheus exporters, for targets the harness did not start
// (a Windows host behind SMSvcHost and IIS, a Linux service): an exporter's /metrics scraped directly,
// or a Prometheus server's HTTP API queried (instant queries), every observe interval. Built-in
// mappings per exporter say which metric gives which figure; a suite may name its own metric or query
// per figure. A reading that fails is recorded with why (a gap), never as zero.

import * as z from 'zod';
import { resolveHost } from '../../../clients/loopback.ts';
import { FIGURE_NAMES, type FigureName, type FigureReading } from '../../../model/figures.ts';
import { list, oneOf, positiveDuration, record, text } from '../../../model/fields.ts';
import { ObserveReadError } from '../../errors.ts';
import { EXPORTERS, figuresOf, MAPPINGS } from '../prometheus/exporters.ts';
import { type FigureRule, ReadingMaker } from '../prometheus/readings.ts';
import { parsePrometheusText, type PromSample } from '../prometheus/text.ts';
import type { Observer, ObserverContext, ObserverSession } from './observer.ts';

const httpUrl = (what: string) =>
  z
    .string({ error: what })
    .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), { error: what })
    .meta({ description: what });

const labels = (what: string) =>
  z
    .record(z.string(), z.string({ error: 'a label value (a string)' }), { error: what })
    .meta({ description: what });

const figure = record(
  {
    metric: list(text('a metric name'), 'the metric (or metrics, the first present is read)', 1)
      .or(text('a metric name').transform((m) => [m]))
      .optional(),
    labels: labels('labels the metric must have: { memtype: resident }').optional(),
    query: text('a PromQL expression (with query: only)').optional(),
    by: text('the label naming each process or group (process, groupname)').optional(),
    pid: text('the label holding a process id (process_id)').optional(),
    state: text('the label holding the TCP state (tcp only)').optional(),
  },
  'a figure: { metric, labels, by, pid, state } or { query }',
);

const source = record(
  {
    scrape: httpUrl("an exporter's metrics URL, such as http://winhost:9182/metrics").optional(),
    query: httpUrl("a Prometheus server's URL, such as http://prometheus:9090 (instant queries)").optional(),
    exporter: oneOf(EXPORTERS, `the exporter: ${EXPORTERS.join(', ')}`).optional(),
    select: record(
      {
        process: text(
          "which processes count as the target: a regular expression matched against the whole name (windows_exporter's process label, process-exporter's groupname)",
        ),
      },
      'which processes count as the target: { process: NAME }',
    ).optional(),
    match: labels('labels every series must have, such as { instance: "winhost:9182" }').default({}),
    timeout: positiveDuration('how long one scrape or query may take').optional(),
    figures: z
      .partialRecord(z.enum(FIGURE_NAMES), figure, { error: `figures by name: ${FIGURE_NAMES.join(', ')}` })
      .meta({ description: `your own metric or query per figure: ${FIGURE_NAMES.join(', ')}` })
      .optional(),
  },
  'an exporter to read: { scrape | query, exporter, select, match, timeout, figures }',
).superRefine((s, ctx) => {
  if ((s.scrape === undefined) === (s.query === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'either scrape (an exporter) or query (a Prometheus server)',
    });
  if (s.exporter === undefined && s.figures === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['exporter'],
      message: 'an exporter, or figures naming your own metrics',
    });
  if (s.select !== undefined) {
    try {
      new RegExp(s.select.process);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        path: ['select', 'process'],
        message: `a regular expression (${(e as Error).message})`,
      });
    }
  }
  for (const [name, f] of Object.entries(s.figures ?? {})) {
    if ((f.metric === undefined) === (f.query === undefined))
      ctx.addIssue({ code: 'custom', path: ['figures', name], message: 'either metric or query' });
    if (f.query !== undefined && s.query === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['figures', name, 'query'],
        message: 'a query goes with query: (a Prometheus server)',
      });
  }
});

export type PrometheusSource = z.output<typeof source>;

const schema = z
  .union([source, list(source, 'a list of exporters to read', 1)], {
    error: 'an exporter to read ({ scrape | query, exporter, select }) or a list of them',
  })
  .meta({ description: 'an exporter to read ({ scrape | query, exporter, select }) or a list of them' });

const sourcesOf = (s: z.output<typeof schema>): PrometheusSource[] => (Array.isArray(s) ? s : [s]);

// The rules a source reads: its exporter's mapping with the suite's own figures over it.
export const rulesOf = (s: PrometheusSource): Partial<Record<FigureName, FigureRule>> => {
  const base = s.exporter === undefined ? {} : MAPPINGS[s.exporter];
  const exporterRule = (f: FigureName) => base[f];
  const rules: Partial<Record<FigureName, FigureRule>> = {};
  for (const f of FIGURE_NAMES) {
    const mine = s.figures?.[f];
    const theirs = exporterRule(f);
    if (mine !== undefined) {
      const nameLabel = mine.by ?? theirs?.nameLabel;
      const pidLabel = mine.pid ?? theirs?.pidLabel;
      const partsLabel = mine.state ?? (f === 'tcp' ? 'state' : undefined);
      rules[f] = {
        metrics: mine.metric ?? [],
        ...(mine.labels === undefined ? {} : { where: mine.labels }),
        ...(mine.query === undefined ? {} : { query: mine.query }),
        ...(nameLabel === undefined ? {} : { nameLabel }),
        ...(pidLabel === undefined ? {} : { pidLabel }),
        ...(partsLabel === undefined ? {} : { partsLabel }),
        ...(f === 'cpu' ? { counter: true } : {}),
      };
    } else if (theirs !== undefined) rules[f] = theirs;
  }
  return rules;
};

const suppliedBy = (s: PrometheusSource): FigureName[] => {
  const own = Object.keys(s.figures ?? {}) as FigureName[];
  const theirs = s.exporter === undefined ? [] : figuresOf(MAPPINGS[s.exporter]);
  return [...new Set([...theirs, ...own])];
};

const promString = (v: string): string => JSON.stringify(v);

// The PromQL selector of a rule: its metrics, the selection, its labels and the suite's matches.
export const selectorOf = (rule: FigureRule, s: PrometheusSource): string => {
  const names = [...rule.metrics, ...(rule.emptyWhen === undefined ? [] : [rule.emptyWhen.metric])];
  const matchers = [
    `__name__=~${promString(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))}`,
    ...Object.entries({ ...rule.where, ...s.match }).map(([k, v]) => `${k}=${promString(v)}`),
    ...(rule.nameLabel === undefined || s.select === undefined
      ? []
      : [`${rule.nameLabel}=~${promString(`${s.select.process}(#\\d+)?`)}`]),
  ];
  return `{${matchers.join(',')}}`;
};

type PromApiVector = {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] };
};

// Reads over HTTP with Node's fetch (undici); a status other than 200 or a body it cannot read throws.
const get = async (url: string, timeoutMs: number): Promise<string> => {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (e as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs}ms`
        : (cause?.code ?? cause?.message ?? (e as Error).message);
    throw new ObserveReadError(`GET ${url}: ${why}`);
  }
  const body = await res.text();
  if (res.status !== 200) throw new ObserveReadError(`GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
  return body;
};

// One instant query's vector as samples.
const query = async (base: string, q: string, timeoutMs: number): Promise<PromSample[]> => {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', q);
  const body = JSON.parse(await get(url.href, timeoutMs)) as PromApiVector;
  if (body.status !== 'success' || body.data?.resultType !== 'vector')
    throw new ObserveReadError(
      `query ${q}: ${body.error ?? `a ${body.data?.resultType ?? 'missing'} result, not a vector`}`,
    );
  return (body.data.result ?? []).map((r) => ({
    name: r.metric?.['__name__'] ?? '',
    labels: r.metric ?? {},
    value: Number(r.value?.[1]),
  }));
};

const sourceSession = (s: PrometheusSource, ctx: ObserverContext): ObserverSession => {
  const rules = rulesOf(s);
  const maker = new ReadingMaker({
    rules,
    ...(s.exporter === undefined ? {} : { countProcessesOf: MAPPINGS[s.exporter].countProcessesOf }),
    ...(s.select === undefined ? {} : { select: new RegExp(`^(?:${s.select.process})$`) }),
    match: s.match,
  });
  const from = (s.scrape ?? s.query)!;
  const timeoutMs = s.timeout ?? Math.max(1000, ctx.intervalMs);
  let checked: Promise<void> | undefined;
  const read = async (t: number): Promise<FigureReading[]> => {
    // The loopback guard, as for load: an exporter elsewhere needs allowRemote.
    checked ??= resolveHost(new URL(from).hostname.replace(/^\[|\]$/g, ''), ctx.allowRemote).then(
      () => undefined,
    );
    await checked;
    if (s.scrape !== undefined) return maker.all(parsePrometheusText(await get(s.scrape, timeoutMs)), t);
    const figures = Object.keys(rules) as FigureName[];
    const results = await Promise.all(
      figures.map(async (f) => {
        const rule = rules[f]!;
        return maker.figure(f, await query(s.query!, rule.query ?? selectorOf(rule, s), timeoutMs), t);
      }),
    );
    const out = results.flat();
    return [...out, ...maker.processCount(out)];
  };
  return {
    read: async () => {
      const t = ctx.now();
      let readings: FigureReading[];
      try {
        readings = await read(t);
      } catch (e) {
        checked = undefined;
        ctx.record({
          t,
          kind: 'sample',
          source: 'observer',
          observer: 'prometheus',
          from,
          readings: [],
          error: (e as Error).message,
        });
        return;
      }
      const useful = readings.filter((r) => r.figure !== 'processes' || r.value > 0);
      ctx.record({
        t,
        kind: 'sample',
        source: 'observer',
        observer: 'prometheus',
        from,
        readings,
        ...(useful.length > 0
          ? {}
          : {
              error: `no series matched: ${Object.values(rules)
                .map((r) => r.query ?? selectorOf(r, s))
                .join(', ')}`,
            }),
      });
    },
  };
};

export const prometheus = {
  name: 'prometheus',
  schema,
  describe: (spec) =>
    sourcesOf(spec)
      .map(
        (s) =>
          `${s.scrape !== undefined ? `scrape ${s.scrape}` : `query ${s.query}`}` +
          `${s.exporter === undefined ? '' : ` (${s.exporter})`}` +
          `${s.select === undefined ? '' : ` for ${s.select.process}`}: ${suppliedBy(s).join(', ')}`,
      )
      .join('; '),
  figures: (spec) => [...new Set(sourcesOf(spec).flatMap(suppliedBy))],
  urls: (spec) => sourcesOf(spec).map((s) => (s.scrape ?? s.query)!),
  start: (spec, ctx) => {
    const sessions = sourcesOf(spec).map((s) => sourceSession(s, ctx));
    return { read: async (o) => void (await Promise.all(sessions.map((x) => x.read(o)))) };
  },
} satisfies Observer<typeof schema>;
