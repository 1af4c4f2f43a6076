// The verdict cards of report.html, failing checks first: status, summary, and the evidence laid out
// for the check it belongs to (tables where a check has rows), with the raw evidence under it.

import type { Verdict } from '../model/verdict.ts';
import type { OpFailure, ProcessSample } from '../model/history.ts';
import type { RunResult } from '../model/result.ts';
import { esc, facts, latencyMs, ms, pct, states, table } from './html-text.ts';

type Ev = Record<string, unknown>;
type Fds = ProcessSample['fds'];

const fdKinds = (f: Fds): string =>
  `${f.total} (${f.socket} socket, ${f.pipe} pipe, ${f.file} file, ${f.other} other)`;

const handles = (e: Ev): string => {
  const rows = (e['processes'] ?? []) as {
    pid: number;
    role: string;
    comm: string;
    baseline: Fds;
    final: Fds;
    growth: number;
    tcp: Record<string, number>;
  }[];
  return (
    facts([
      ['fds above baseline', esc(e['growth'])],
      ['tolerance', esc(e['tolerance'])],
      ['sockets in CLOSE_WAIT', esc(e['closeWait'])],
      ['"handle is now leaked" events', esc(e['leakedHandleEvents'])],
      ['baseline read at', ms(e['baselineAt'])],
      ['final read at', ms(e['finalAt'])],
    ]) +
    table(
      ['pid', 'role', 'command', 'baseline fds', 'final fds', 'growth', 'sockets at the end'],
      rows.map((r) => [
        esc(r.pid),
        esc(r.role),
        esc(r.comm),
        esc(fdKinds(r.baseline)),
        esc(fdKinds(r.final)),
        esc(`${r.growth > 0 ? '+' : ''}${r.growth}`),
        esc(states(r.tcp)),
      ]),
      { hot: rows.map((r) => r.growth > 0 || (r.tcp['CLOSE_WAIT'] ?? 0) > 0) },
    )
  );
};

const responsive = (e: Ev): string => {
  const gap = e['longestGap'] as { from: number; to: number; ms: number } | undefined;
  const recoveries = (e['recoveries'] ?? []) as {
    fault: string;
    label: string;
    healedAt: number;
    recoveredAfterMs: number | null;
  }[];
  return (
    facts([
      ['longest gap', gap === undefined ? '-' : `${ms(gap.ms)} (${ms(gap.from)} to ${ms(gap.to)})`],
      ['limit', ms(e['maxGapMs'])],
      ['answered again', e['endedWithoutAnswer'] === true ? '<b>never</b>' : 'yes'],
      ['probes', esc(e['probes'])],
      ['failed', esc(e['failedProbes'])],
      ['failed in the gap', esc(e['failedInGap'])],
      ['faults around the gap', esc(((e['faultsInGap'] ?? []) as string[]).join(', ') || 'none')],
    ]) +
    (recoveries.length === 0
      ? ''
      : table(
          ['fault', 'healed at', 'listener answered again after'],
          recoveries.map((r) => [
            esc(r.label),
            ms(r.healedAt),
            r.recoveredAfterMs === null ? '<b>never</b>' : ms(r.recoveredAfterMs),
          ]),
          { hot: recoveries.map((r) => r.recoveredAfterMs === null) },
        ))
  );
};

const errorRate = (e: Ev): string => {
  const failed = (e['failed'] ?? {}) as Record<string, number>;
  const examples = (e['examples'] ?? []) as {
    t: number;
    load: string;
    session: number;
    failure?: OpFailure;
  }[];
  const kinds = Object.entries(failed).sort((a, b) => b[1] - a[1]);
  return (
    facts([
      ['error rate', pct(e['rate'] as number | undefined)],
      ['limit', pct(e['max'] as number)],
      ['sessions', esc(e['total'])],
      ['ok', esc(e['ok'])],
      ['dropped', `${esc(e['dropped'])}${e['countDropped'] === false ? ' (not counted)' : ''}`],
    ]) +
    (kinds.length === 0
      ? ''
      : table(
          ['failed as', 'sessions'],
          kinds.map(([k, n]) => [esc(k), esc(n)]),
        )) +
    (examples.length === 0
      ? ''
      : `<p class="sub">First failed sessions:</p>` +
        table(
          ['at', 'load', 'session', 'how', 'stage', 'detail'],
          examples.map((x) => [
            ms(x.t),
            esc(x.load),
            esc(x.session),
            esc(x.failure?.kind ?? '-'),
            esc(x.failure?.stage ?? '-'),
            esc(x.failure?.fault ?? x.failure?.message ?? ''),
          ]),
        ))
  );
};

const latency = (e: Ev): string => {
  const limits = (e['limits'] ?? {}) as Record<string, number | undefined>;
  const byPhase = (e['byPhase'] ?? {}) as Record<string, Record<string, number>>;
  const keys = ['p50', 'p90', 'p99', 'max'] as const;
  const phases = Object.keys(byPhase);
  return (
    facts([
      ['metric', esc(e['metric'])],
      ['judged on phase', esc(e['phase'])],
      [
        'limits',
        esc(
          keys
            .filter((k) => limits[k] !== undefined)
            .map((k) => `${k} ${ms(limits[k])}`)
            .join(', ') || 'none',
        ),
      ],
    ]) +
    table(
      ['phase', 'count', ...keys],
      phases.map((p) => [
        esc(p === e['phase'] ? `${p} (judged)` : p),
        esc(byPhase[p]!['count']),
        ...keys.map((k) => {
          const v = byPhase[p]![k] ?? 0;
          const over = p === e['phase'] && limits[k] !== undefined && v > limits[k];
          return over ? `<b>${esc(latencyMs(v))}</b>` : esc(byPhase[p]!['count'] === 0 ? '-' : latencyMs(v));
        }),
      ]),
      {
        hot: phases.map(
          (p) =>
            p === e['phase'] &&
            keys.some((k) => limits[k] !== undefined && (byPhase[p]![k] ?? 0) > limits[k]),
        ),
      },
    )
  );
};

const throughput = (e: Ev): string => {
  const lowest = e['lowest'] as { from: number; rate: number } | undefined;
  const windows = (e['windows'] ?? []) as { from: number; rate: number }[];
  const floor = Number(e['floor']);
  const below = windows.filter((w) => w.rate < floor);
  return (
    facts([
      ['floor', `${esc(e['floor'])}/s`],
      ['window', ms(e['windowMs'])],
      ['mean', typeof e['mean'] === 'number' ? `${e['mean'].toFixed(1)}/s` : '-'],
      ['lowest', lowest === undefined ? '-' : `${lowest.rate.toFixed(1)}/s at ${ms(lowest.from)}`],
      ['windows below', `${esc(e['windowsBelow'] ?? 0)} of ${windows.length}`],
    ]) +
    (below.length === 0
      ? ''
      : table(
          ['window from', 'sessions/s'],
          below.slice(0, 20).map((w) => [ms(w.from), esc(w.rate.toFixed(1))]),
        ))
  );
};

const EVIDENCE: Record<string, (e: Ev) => string> = {
  'handles.noLeak': handles,
  'listener.responsive': responsive,
  'sessions.errorRate': errorRate,
  latency,
  'throughput.min': throughput,
};

const ORDER = { fail: 0, unknown: 1, pass: 2 } as const;
const MARK = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

// Verdicts, failing first, then unknown, then passing; the suite's order within each.
export const orderedVerdicts = (verdicts: readonly Verdict[]): Verdict[] =>
  verdicts
    .map((v, i) => ({ v, i }))
    .sort((a, b) => ORDER[a.v.status] - ORDER[b.v.status] || a.i - b.i)
    .map((x) => x.v);

const card = (v: Verdict, expectedToFail: boolean): string => {
  const asExpected = v.status === (expectedToFail ? 'fail' : 'pass');
  let body = '';
  const render = EVIDENCE[v.check];
  if (render !== undefined && Object.keys(v.evidence).length > 0) {
    try {
      body = render(v.evidence);
    } catch {
      // Evidence of an unexpected shape still shows below as JSON.
      body = '';
    }
  }
  return (
    `<article class="verdict ${v.status}" id="check-${esc(v.check)}">` +
    `<header><span class="badge ${v.status}">${MARK[v.status]}</span><h3>${esc(v.check)}</h3>` +
    (expectedToFail ? '<span class="tag">expected to fail</span>' : '') +
    `<span class="tag ${asExpected ? 'ok' : 'bad'}">${asExpected ? 'as expected' : 'not as expected'}</span></header>` +
    `<p class="summary">${esc(v.summary)}</p>${body}` +
    `<details><summary>All evidence (JSON)</summary><pre>${esc(JSON.stringify(v.evidence, null, 2))}</pre></details>` +
    '</article>'
  );
};

// The verdicts section.
export const verdictCards = (r: RunResult): string => {
  const mustFail = new Set(r.expect === 'pass' ? [] : r.expect.fail);
  if (r.verdicts.length === 0)
    return '<p class="empty">No check was judged: the run ended before load started.</p>';
  return orderedVerdicts(r.verdicts)
    .map((v) => card(v, mustFail.has(v.check)))
    .join('\n');
};
