// replies.intact: every reply that echoes carried back what was sent (bytes for the op framing, the
// echoed text for SOAP, the result over HTTP). A mismatch is a `corrupt` call, its own failure kind; this
// check demands at most `max` of them (0 by default) whatever sessions.errorRate allows.

import { nonNegativeInt, record } from '../../model/fields.ts';
import { ms } from '../../model/format.ts';
import type { History, LoadSample, OpEvent } from '../../model/history.ts';
import type { Verdict, VerdictView } from '../../model/verdict.ts';
import type { Check } from './check.ts';

const schema = record(
  { max: nonNegativeInt('how many corrupt replies are tolerated (0 or more)').default(0) },
  '{ max: N }',
);

// How many of the first corrupt replies the evidence names.
const SHOWN = 10;

type Example = {
  t: number;
  load: string;
  session: number;
  call?: number;
  offset?: number;
  expected?: string;
  got?: string;
};

export const repliesIntact = {
  name: 'replies.intact',
  schema,
  describe: (s) => `max ${s.max}`,
  view: (v): VerdictView => {
    const first = (v.evidence['first'] ?? []) as Example[];
    return {
      facts: [
        ['corrupt replies', String(v.evidence['corrupt'])],
        ['limit', String(v.evidence['max'])],
        ['sessions that completed', String(v.evidence['sessions'])],
      ],
      tables:
        first.length === 0
          ? []
          : [
              {
                caption: 'First differences:',
                columns: ['at', 'load', 'session', 'call', 'offset', 'expected', 'got'],
                rows: first.map((x) => [
                  ms(x.t),
                  x.load,
                  String(x.session),
                  x.call === undefined ? '-' : String(x.call),
                  x.offset === undefined ? '-' : String(x.offset),
                  x.expected ?? '-',
                  { text: x.got ?? '-', strong: true },
                ]),
                hot: first.map(() => true),
              },
            ],
      marks: [],
    };
  },
  run: (h: History, spec): Verdict => {
    const samples = h.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
    const corrupt = samples.reduce((n, s) => n + (s.failed['corrupt'] ?? 0), 0);
    const sessions = samples.reduce(
      (n, s) => n + s.ok + Object.values(s.failed).reduce((a, b) => a + b, 0),
      0,
    );
    const first = h.events
      .filter((e): e is OpEvent => e.kind === 'op' && e.failure?.kind === 'corrupt')
      .slice(0, SHOWN)
      .map((o): Example => ({
        t: o.t,
        load: o.load,
        session: o.session,
        ...(o.failure?.call === undefined ? {} : { call: o.failure.call }),
        ...(o.failure?.diff === undefined
          ? {}
          : { offset: o.failure.diff.offset, expected: o.failure.diff.expected, got: o.failure.diff.got }),
      }));
    const evidence = { max: spec.max, corrupt, sessions, first };
    if (sessions === 0)
      return {
        check: 'replies.intact',
        status: 'unknown',
        summary: 'No session completed, so no reply could be compared with what was sent.',
        evidence,
      };
    if (corrupt > spec.max) {
      const f = first[0];
      const where =
        f === undefined
          ? ''
          : ` The first: session ${f.session}${f.call === undefined ? '' : ` call ${f.call}`} at ${ms(f.t)}` +
            (f.offset === undefined ? '' : `, offset ${f.offset}: expected ${f.expected}, got ${f.got}`) +
            '.';
      return {
        check: 'replies.intact',
        status: 'fail',
        summary: `${corrupt} repl${corrupt === 1 ? 'y' : 'ies'} of ${sessions} sessions did not carry back what was sent (limit ${spec.max}).${where}`,
        evidence,
      };
    }
    return {
      check: 'replies.intact',
      status: 'pass',
      summary: `Every reply compared carried back what was sent (${sessions} sessions${corrupt > 0 ? `, ${corrupt} corrupt within the limit ${spec.max}` : ''}).`,
      evidence,
    };
  },
} satisfies Check<typeof schema>;
