// The parts of report.html around the verdicts and charts: the outcome, the loads, the faults, the
// target's processes, what the harness logged, and the suite as run with its seed and versions.

import type { History, LogEvent, ProcessSample } from '../model/history.ts';
import { outcomeOf, type RunResult } from '../model/result.ts';
import type { FaultRecord } from '../model/fault-records.ts';
import { genericFaultView } from '../model/fault-view.ts';
import { timeline } from '../model/timeline.ts';
import type { ViewTable } from '../model/verdict.ts';
import { expectText, OUTCOME_WORDS } from './console.ts';
import { loadFigures, targetSamples } from './figures.ts';
import { esc, latencyMs, ms, pct, states, table } from './html-text.ts';

// The banner: what the run was, how it ended, why.
export const outcomeHeader = (r: RunResult): string => {
  const target =
    `${r.target.kind === 'host' ? 'reference host' : r.target.kind === 'remote' ? 'remote service' : 'program'}` +
    (r.target.pid === undefined ? '' : `, pid ${r.target.pid}`) +
    (r.target.port === undefined ? '' : ` on ${r.target.host ?? ''}:${r.target.port}`);
  const end = r.history.events.reduce((m, e) => Math.max(m, e.t), 0);
  const cut =
    outcomeOf(r.history) === undefined
      ? `<p class="warn">The history ends at ${ms(end)} without an outcome: the harness was stopped before it finished (killed, or its last line was torn). This page shows what it recorded.</p>`
      : '';
  const reasons = [
    ...(r.invalid === undefined ? [] : [`The run is invalid: ${r.invalid.message}`]),
    ...(r.outcome === 'met' ? [] : r.judgement.reasons),
  ];
  // A reproduction that met its expectation: its checks failed, as it set out to show.
  const reproduced = r.outcome === 'met' && r.expect !== 'pass';
  const expectedFails = r.expect === 'pass' ? [] : r.expect.fail;
  return (
    `<header class="outcome ${reproduced ? 'reproduced' : r.outcome}"><h1>${esc(r.suite)} <span class="result">${esc(reproduced ? 'reproduced as expected' : OUTCOME_WORDS[r.outcome])}</span></h1>` +
    (reproduced
      ? `<p class="expected-line">reproduced as expected: these checks failed as the suite expects: <b>${esc(expectedFails.join(', '))}</b></p>`
      : '') +
    `<p>${esc(expectText(r))} · seed ${esc(r.seed)} · exit code ${esc(r.exitCode)} · started ${esc(r.history.meta.startedAt)} · ${ms(r.durationMs)} · ${esc(target)}</p>` +
    (reasons.length === 0
      ? ''
      : `<ul class="reasons">${reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`) +
    cut +
    '</header>'
  );
};

// Each load's totals, errors and latency (of successes; failures with their own time to fail).
export const loadsTable = (h: History): string => {
  const loads = loadFigures(h);
  if (loads.length === 0) return '<p class="empty">No load ran.</p>';
  return (
    table(
      [
        'load',
        'started',
        'ok',
        'failed',
        'dropped',
        'error rate',
        'p50',
        'p90',
        'p99',
        'max',
        'uncorrected p99',
        'call p99',
        'time to fail p50',
        'time to fail p99',
        'none succeeded (run time)',
      ],
      loads.map((l) => {
        const failed = Object.entries(l.failed)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${n} ${k}`)
          .join(', ');
        const c = l.latencyMs.corrected;
        const f = l.latencyMs.failed;
        const lat = (x: number, n: number) =>
          n === 0 ? (l.ok === 0 ? 'none succeeded' : '-') : latencyMs(x);
        return [
          esc(l.name),
          esc(l.started),
          esc(l.ok),
          esc(failed === '' ? '0' : failed),
          esc(l.dropped),
          esc(pct(l.errorRate)),
          ...[c.p50, c.p90, c.p99, c.max].map((x) => esc(lat(x, c.count))),
          esc(lat(l.latencyMs.uncorrected.p99, l.latencyMs.uncorrected.count)),
          esc(lat(l.latencyMs.call.p99, l.latencyMs.call.count)),
          esc(f.count === 0 ? '-' : latencyMs(f.p50)),
          esc(f.count === 0 ? '-' : latencyMs(f.p99)),
          esc(l.noSuccess.map((o) => `${ms(o.from)} to ${ms(o.to)}`).join(', ') || '-'),
        ];
      }),
      { hot: loads.map((l) => (l.errorRate ?? 0) > 0) },
    ) +
    '<p class="sub">Latency is of the sessions that succeeded, from their intended start; a failed session is no answer, however fast it failed: its time to fail is beside it.</p>'
  );
};

// A small table of a fault's view.
const viewTable = (t: ViewTable): string =>
  (t.caption === undefined ? '' : `<p class="sub">${esc(t.caption)}</p>`) +
  table(
    t.columns,
    t.rows.map((row) => row.map((c) => (typeof c === 'string' ? esc(c) : `<b>${esc(c.text)}</b>`))),
    { cls: 'small', ...(t.hot === undefined ? {} : { hot: t.hot }) },
  );

// Every fault: when the suite scheduled it (its `at`, from the start of load) on the run clock, when it
// was issued, took effect and healed, and what it did in sentences and small tables (its plug-in's
// account, carried in the RunResult; the generic one for a fault missing there).
export const faultsTable = (r: RunResult): string => {
  const tl = timeline(r.history);
  const records = tl.faultRecords;
  if (records.length === 0) return '<p class="empty">The suite injects no fault.</p>';
  const loadFrom = tl.load?.from;
  const scheduled = (f: FaultRecord): string => {
    const at = f.spec?.['at'];
    if (typeof at !== 'number') return '-';
    return loadFrom === undefined ? `at: ${ms(at)}` : `at: ${ms(at)} = ${ms(loadFrom + at)}`;
  };
  return (
    `<p class="sub">Times are run time (seconds since the run started), as on the charts; a fault's <code>at:</code> counts from the start of load${loadFrom === undefined ? '' : `, which began at ${ms(loadFrom)}`}.</p>` +
    table(
      ['fault', 'scheduled', 'issued', 'took effect', 'healed', 'what it did'],
      records.map((f) => {
        const view = r.faults?.[f.id] ?? genericFaultView(f);
        return [
          `${esc(f.label)}<br><span class="sub">${esc(f.id)}</span>`,
          esc(scheduled(f)),
          ms(f.intentAt),
          ms(f.injectedAt),
          ms(f.healedAt),
          view.sentences.map((x) => `<p class="said">${esc(x)}</p>`).join('') +
            view.tables.map(viewTable).join(''),
        ];
      }),
      // A fault that failed or never healed is worth a look.
      { hot: records.map((f) => f.errors.length > 0 || f.healedAt === undefined) },
    )
  );
};

// Every target process the observers saw, with its fds from first to last reading.
export const processesTable = (h: History): string => {
  const samples = targetSamples(h);
  const seen = new Map<
    number,
    {
      first: number;
      last: number;
      firstP: ProcessSample;
      lastP: ProcessSample;
      peak: number;
      closeWait: number;
      // Its command line, from the reading that first saw it (older histories have only comm).
      cmd?: string;
    }
  >();
  for (const s of samples) {
    for (const p of s.processes) {
      const x = seen.get(p.pid);
      if (x === undefined) {
        seen.set(p.pid, {
          first: s.t,
          last: s.t,
          firstP: p,
          lastP: p,
          peak: p.fds.total,
          closeWait: p.tcp['CLOSE_WAIT'] ?? 0,
          ...(p.cmd === undefined ? {} : { cmd: p.cmd }),
        });
      } else {
        x.last = s.t;
        x.lastP = p;
        x.cmd ??= p.cmd;
        x.peak = Math.max(x.peak, p.fds.total);
        x.closeWait = Math.max(x.closeWait, p.tcp['CLOSE_WAIT'] ?? 0);
      }
    }
  }
  if (seen.size === 0) return '<p class="empty">No reading of the target was taken.</p>';
  const rows = [...seen].map(([pid, x]) => ({ pid, ...x }));
  return table(
    [
      'pid',
      'role',
      'command',
      'parent',
      'seen (run time)',
      'first fds',
      'peak fds',
      'last fds',
      'peak CLOSE_WAIT',
      'sockets at the last reading',
    ],
    rows.map((x) => [
      esc(x.pid),
      esc(x.lastP.role),
      x.cmd === undefined ? esc(x.lastP.comm) : `<code class="cmd">${esc(x.cmd)}</code>`,
      esc(x.lastP.ppid),
      `${ms(x.first)} to ${ms(x.last)}`,
      esc(x.firstP.fds.total),
      esc(x.peak),
      esc(x.lastP.fds.total),
      esc(x.closeWait),
      esc(states(x.lastP.tcp)),
    ]),
    // CLOSE_WAIT, or more than the default leak tolerance (2) above the first reading.
    { hot: rows.map((x) => x.closeWait > 0 || x.lastP.fds.total > x.firstP.fds.total + 2) },
  );
};

// A count as people read it: 4,940.
const count = (n: number): string => n.toLocaleString('en-US');

// What a logged event's data says about why, in the fields events use for it (a host's refusal says
// `reason: listenBacklog`), for grouping repeated events.
const whyOf = (e: LogEvent): string | undefined => {
  for (const k of ['reason', 'fault', 'code']) {
    const v = e.data?.[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

// One kind of logged event and how often it came, from when to when, and why.
export type LogGroup = {
  level: LogEvent['level'];
  source: string;
  message: string;
  count: number;
  first: number;
  last: number;
  // Reasons by count, most first.
  reasons: [string, number][];
};

// Repeated events (the same level, source and message) as one group each, in order of their first.
export const logGroups = (events: readonly LogEvent[]): LogGroup[] => {
  const groups = new Map<string, LogGroup & { why: Map<string, number> }>();
  for (const e of events) {
    const key = `${e.level}\u0000${e.source}\u0000${e.message}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        level: e.level,
        source: e.source,
        message: e.message,
        count: 0,
        first: e.t,
        last: e.t,
        reasons: [],
        why: new Map(),
      };
      groups.set(key, g);
    }
    g.count++;
    g.last = e.t;
    const why = whyOf(e);
    if (why !== undefined) g.why.set(why, (g.why.get(why) ?? 0) + 1);
  }
  return [...groups.values()].map(({ why, ...g }) => ({
    ...g,
    reasons: [...why].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  }));
};

// A group in one line: `host refused x4,940: listenBacklog 4,120, maxPendingConnections 820`.
export const logGroupText = (g: LogGroup): string => {
  const SHOWN = 4;
  const reasons = g.reasons.slice(0, SHOWN).map(([r, n]) => `${r} ${count(n)}`);
  const rest = g.reasons.slice(SHOWN).reduce((n, [, k]) => n + k, 0);
  if (rest > 0) reasons.push(`${count(rest)} for ${g.reasons.length - SHOWN} other reasons`);
  return `${g.message}${g.count > 1 ? ` x${count(g.count)}` : ''}${reasons.length === 0 ? '' : `: ${reasons.join(', ')}`}`;
};

// What the harness warned about or failed at, and the target's own warnings and errors; repeated
// events once each, with how many and why.
export const logList = (h: History): string => {
  const lines = h.events.filter(
    (e): e is LogEvent =>
      e.kind === 'log' && (e.level !== 'info' || (e.source === 'target' && e.data?.['stream'] === 'stderr')),
  );
  if (lines.length === 0) return '<p class="empty">No warning or error was logged.</p>';
  const groups = logGroups(lines);
  const LIMIT = 200;
  const shown = groups.slice(0, LIMIT);
  return (
    `<p class="sub">${count(lines.length)} ${lines.length === 1 ? 'event' : 'events'}${groups.length < lines.length ? `, ${count(groups.length)} ${groups.length === 1 ? 'kind' : 'kinds'}: repeated ones once, with how many and why` : ''}. Times are run time (seconds since the run started).</p>` +
    table(
      ['first at', 'last at', 'level', 'source', 'what (how many: why)'],
      shown.map((g) => [
        ms(g.first),
        g.count > 1 ? ms(g.last) : '',
        esc(g.level),
        esc(g.source),
        `<code>${esc(logGroupText(g))}</code>`,
      ]),
      { hot: shown.map((g) => g.level === 'error') },
    ) +
    (groups.length > LIMIT
      ? `<p class="sub">and ${groups.length - LIMIT} more kinds in history.ndjson.</p>`
      : '')
  );
};

// The suite text as run, and what ran it.
export const suiteSection = (r: RunResult, chartLibrary: string): string => {
  const { meta } = r.history;
  return (
    `<dl class="facts"><div><dt>seed</dt><dd>${esc(r.seed)}</dd></div>` +
    `<div><dt>nettcp-chaos</dt><dd>${esc(meta.tool.version)}</dd></div>` +
    `<div><dt>node</dt><dd>${esc(meta.tool.node)}</dd></div>` +
    `<div><dt>platform</dt><dd>${esc(meta.tool.platform)}</dd></div>` +
    `<div><dt>charts</dt><dd>${esc(chartLibrary)}</dd></div>` +
    `<div><dt>started</dt><dd>${esc(meta.startedAt)}</dd></div>` +
    `<div><dt>run folder</dt><dd>${esc(r.dir)}</dd></div></dl>` +
    `<p class="sub">${esc(meta.file)} as run; rerun it with <code>nettcp-chaos run ${esc(meta.file)} --seed ${esc(r.seed)}</code></p>` +
    `<pre class="suite">${esc(meta.text)}</pre>`
  );
};
