// listener.responsive: the longest gap without a successful probe session while load ran (through the
// drain and settle), and how long the listener took to answer again after each fault healed. With more
// than one listener probed (net.tcp and HTTP), the worst listener's gap, and each one's.

import { formatDuration } from '../../model/duration.ts';
import { positiveDuration, record } from '../../model/fields.ts';
import { ms } from '../../model/format.ts';
import type { History, ProbeEvent } from '../../model/history.ts';
import { probeGaps } from '../../model/probe-gaps.ts';
import { human, timeline } from '../../model/timeline.ts';
import type { Cell, Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  { maxGap: positiveDuration('the longest allowed gap without a successful probe') },
  '{ maxGap: DURATION }',
);

type Recovery = { fault: string; label: string; healedAt: number; recoveredAfterMs: number | null };

const NEVER: Cell = { text: 'never', strong: true };

const failureWords = (probes: readonly ProbeEvent[]): string => {
  const by = new Map<string, number>();
  for (const p of probes) {
    const k =
      p.failure === undefined
        ? 'failed'
        : `${p.failure.kind === 'timeout' ? 'timed out' : p.failure.kind} in the ${p.failure.stage} stage${p.failure.fault ? ` (${p.failure.fault})` : ''}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
};

type ListenerGap = { listener: string; longestGapMs: number | null; probes: number; failed: number };

// With more than one listener probed (net.tcp and HTTP), each one's longest gap.
const listenerFacts = (v: unknown): [string, string][] => {
  const list = (v ?? []) as ListenerGap[];
  return list.length < 2
    ? []
    : list.map((l): [string, string] => [
        `gap at ${l.listener}`,
        `${l.longestGapMs === null ? '-' : ms(l.longestGapMs)} (${l.probes} probes, ${l.failed} failed)`,
      ]);
};

export const listenerResponsive = {
  name: 'listener.responsive',
  schema,
  describe: (s) => `maxGap ${formatDuration(s.maxGap)}`,
  view: (v): VerdictView => {
    const e = v.evidence;
    const gap = e['longestGap'] as { from: number; to: number; ms: number } | undefined;
    const recoveries = (e['recoveries'] ?? []) as Recovery[];
    const never = e['endedWithoutAnswer'] === true;
    return {
      facts: [
        ['longest gap', gap === undefined ? '-' : `${ms(gap.ms)} (${ms(gap.from)} to ${ms(gap.to)})`],
        ['limit', ms(e['maxGapMs'])],
        ['answered again', never ? NEVER : 'yes'],
        ['probes', String(e['probes'])],
        ['failed', String(e['failedProbes'])],
        ['failed in the gap', String(e['failedInGap'])],
        ['faults around the gap', ((e['faultsInGap'] ?? []) as string[]).join(', ') || 'none'],
        ...listenerFacts(e['listeners']),
      ],
      tables:
        recoveries.length === 0
          ? []
          : [
              {
                columns: ['fault', 'healed at', 'listener answered again after'],
                rows: recoveries.map((r) => [
                  r.label,
                  ms(r.healedAt),
                  r.recoveredAfterMs === null ? NEVER : ms(r.recoveredAfterMs),
                ]),
                hot: recoveries.map((r) => r.recoveredAfterMs === null),
              },
            ],
      // A failing listener: the probe chart's gap band says so, and a line marks its last answer.
      marks:
        v.status !== 'fail' || gap === undefined
          ? []
          : [
              {
                kind: 'band',
                key: 'probe-gap',
                chart: 'probes',
                style: 'gap',
                from: gap.from,
                to: gap.to,
                label: `no answer for ${human(gap.ms)}${never ? ', never again' : ''}`,
              },
              { kind: 'marker', t: gap.from, label: 'last probe answered', style: 'dark' },
            ],
    };
  },
  run: (h: History, spec): Verdict => {
    const tl = timeline(h);
    const gaps = probeGaps(h);
    const probes = gaps.probes;
    if (gaps.longestGap === undefined || probes.length === 0) {
      return {
        check: 'listener.responsive',
        status: 'unknown',
        summary: 'No probe ran while load ran, so responsiveness cannot be judged.',
        evidence: { probes: probes.length },
      };
    }
    const worst = gaps.longestGap;
    const neverAgain = gaps.endedWithoutAnswer;
    const several = gaps.listeners.length > 1;
    // The probes of the listener with the longest gap.
    const own = gaps.listeners.find((l) => l.listener === gaps.listener)?.probes ?? probes;
    const inGap = own.filter((p) => !p.ok && p.t >= worst.from && p.t <= worst.to);
    // A probe already past its preamble when a fault struck still succeeds after it, so the gap can
    // start up to one probe's duration after the fault: look back that far for faults around it.
    const lookback = gaps.slowestOkMs + 100;
    const activeAtStart = tl.faults.filter((f) => f.to >= worst.from - lookback && f.from <= worst.to);
    const recoveries = tl.faults.map((f) => {
      // Recovered: a probe that started after the heal succeeded (one already in flight proves nothing),
      // of every listener probed.
      const backs = gaps.listeners.map((l) => l.probes.find((p) => p.ok && p.t - p.ms >= f.to));
      const back = backs.some((b) => b === undefined) ? undefined : Math.max(...backs.map((b) => b!.t));
      return {
        fault: f.id,
        label: f.label,
        healedAt: f.to,
        recoveredAfterMs: back === undefined ? null : back - f.to,
      };
    });
    const evidence = {
      maxGapMs: spec.maxGap,
      longestGap: worst,
      endedWithoutAnswer: neverAgain,
      probes: probes.length,
      failedProbes: gaps.failed,
      failedInGap: inGap.length,
      faultsInGap: [...new Map(activeAtStart.map((f) => [f.id, f])).values()].map((f) => f.label),
      recoveries,
      ...(several
        ? {
            listener: gaps.listener,
            listeners: gaps.listeners.map((l) => ({
              listener: l.listener ?? '(unnamed)',
              longestGapMs: l.longestGap?.ms ?? null,
              probes: l.probes.length,
              failed: l.failed,
            })),
          }
        : {}),
    };
    const gapText =
      `${human(worst.ms)} (from ${human(worst.from)} to ${human(worst.to)} into the run` +
      `${neverAgain ? ', until the end: it never answered again' : ''}, limit ${human(spec.maxGap)})`;
    const faultText =
      evidence.faultsInGap.length > 0 ? ` It began around ${evidence.faultsInGap.join(', ')}.` : '';
    const probeText =
      inGap.length > 0 ? ` During the gap ${inGap.length} probe(s) failed: ${failureWords(inGap)}.` : '';
    const slow = recoveries.filter((r) => r.recoveredAfterMs === null);
    const recoveryText =
      slow.length > 0
        ? ` The listener never answered again after ${slow.map((r) => r.label).join(', ')}.`
        : '';
    if (worst.ms > spec.maxGap) {
      return {
        check: 'listener.responsive',
        status: 'fail',
        summary: `The listener${several ? ` at ${gaps.listener}` : ''} did not complete a new session for ${gapText}.${faultText}${probeText}${recoveryText}`,
        evidence,
      };
    }
    return {
      check: 'listener.responsive',
      status: 'pass',
      summary: `The listener${several ? `s (${gaps.listeners.length}) answered` : ' answered'} throughout; the longest gap between successful probes was ${human(worst.ms)}${several ? ` (at ${gaps.listener})` : ''} (limit ${human(spec.maxGap)}).`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
