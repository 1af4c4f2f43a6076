// The parts of report.html around the verdicts and charts: the outcome, the loads, the faults, the
// target's processes, what the harness logged, and the suite as run with its seed and versions.

import type { History, LogEvent, ProcessSample } from '../model/history.ts';
import { outcomeOf, type RunResult } from '../model/result.ts';
import { timeline } from '../model/timeline.ts';
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
  return (
    `<header class="outcome ${r.outcome}"><h1>${esc(r.suite)} <span class="result">${esc(OUTCOME_WORDS[r.outcome])}</span></h1>` +
    `<p>${esc(expectText(r))} · seed ${esc(r.seed)} · exit code ${esc(r.exitCode)} · started ${esc(r.history.meta.startedAt)} · ${ms(r.durationMs)} · ${esc(target)}</p>` +
    (reasons.length === 0
      ? ''
      : `<ul class="reasons">${reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`) +
    cut +
    '</header>'
  );
};

// Each load's totals, errors and latency.
export const loadsTable = (h: History): string => {
  const loads = loadFigures(h);
  if (loads.length === 0) return '<p class="empty">No load ran.</p>';
  return table(
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
    ],
    loads.map((l) => {
      const failed = Object.entries(l.failed)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const c = l.latencyMs.corrected;
      return [
        esc(l.name),
        esc(l.started),
        esc(l.ok),
        esc(failed === '' ? '0' : failed),
        esc(l.dropped),
        esc(pct(l.errorRate)),
        ...[c.p50, c.p90, c.p99, c.max].map((x) => esc(latencyMs(x))),
        esc(latencyMs(l.latencyMs.uncorrected.p99)),
        esc(latencyMs(l.latencyMs.call.p99)),
      ];
    }),
    { hot: loads.map((l) => (l.errorRate ?? 0) > 0) },
  );
};

// Every fault with its journal: intent, inject, heal, and what it noted or failed at.
export const faultsTable = (h: History): string => {
  const records = timeline(h).faultRecords;
  if (records.length === 0) return '<p class="empty">The suite injects no fault.</p>';
  return table(
    ['fault', 'id', 'journaled', 'took effect', 'healed', 'notes and errors'],
    records.map((f) => {
      const notes = [
        ...f.notes.map((n) => JSON.stringify(n)),
        ...f.errors.map((e) => `ERROR ${JSON.stringify(e.detail)}`),
      ];
      return [
        esc(f.label),
        esc(f.id),
        ms(f.intentAt),
        ms(f.injectedAt),
        ms(f.healedAt),
        notes.length === 0 ? '' : `<code>${esc(notes.join('; '))}</code>`,
      ];
    }),
    // A fault that failed or never healed is worth a look.
    { hot: records.map((f) => f.errors.length > 0 || f.healedAt === undefined) },
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
        });
      } else {
        x.last = s.t;
        x.lastP = p;
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
      'seen',
      'first fds',
      'peak fds',
      'last fds',
      'peak CLOSE_WAIT',
      'sockets at the last reading',
    ],
    rows.map((x) => [
      esc(x.pid),
      esc(x.lastP.role),
      esc(x.lastP.comm),
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

// What the harness warned about or failed at, and the target's own warnings and errors.
export const logList = (h: History): string => {
  const lines = h.events.filter(
    (e): e is LogEvent =>
      e.kind === 'log' && (e.level !== 'info' || (e.source === 'target' && e.data?.['stream'] === 'stderr')),
  );
  if (lines.length === 0) return '<p class="empty">No warning or error was logged.</p>';
  const LIMIT = 200;
  return (
    table(
      ['at', 'level', 'source', 'message'],
      lines
        .slice(0, LIMIT)
        .map((e) => [ms(e.t), esc(e.level), esc(e.source), `<code>${esc(e.message)}</code>`]),
      { hot: lines.slice(0, LIMIT).map((e) => e.level === 'error') },
    ) + (lines.length > LIMIT ? `<p class="sub">and ${lines.length - LIMIT} more in history.ndjson.</p>` : '')
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
