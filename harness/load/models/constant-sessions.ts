// constant-sessions (closed): N lanes, each starting its next session when the last one ends.
// A closed model slows down with the target, so its latency is its own: intended = actual start.

import * as z from 'zod';
import { positiveDuration, positiveInt, record } from '../../../model/fields.ts';
import { loadFields } from '../load-fields.ts';
import { scale, type Segment } from '../segment.ts';
import { runShare } from './schedule.ts';
import type { LoadModel, Share } from './types.ts';

const schema = record(
  {
    ...loadFields,
    model: z.literal('constant-sessions'),
    sessions: positiveInt('a positive number of concurrent sessions'),
    duration: positiveDuration('how long the load runs'),
  },
  'a closed load: { name, via, model: constant-sessions, sessions, duration, session }',
);

// The lanes are the units: a segment keeps its share of them going.
const share = (spec: z.output<typeof schema>, segment: Segment): Share => ({
  sessions: scale(segment, spec.sessions),
});

export const constantSessions = {
  name: 'constant-sessions',
  schema,
  describe: (spec) => `constant-sessions ${spec.sessions} at once`,
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
  share,
  run: (spec, start, ctx) => runShare(share(spec, ctx.segment), start, start + spec.duration, ctx),
} satisfies LoadModel<typeof schema>;
