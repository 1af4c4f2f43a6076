// constant-sessions (closed): N lanes, each starting its next session when the last one ends.
// A closed model slows down with the target, so its latency is its own: intended = actual start.

import * as z from 'zod';
import { positiveDuration, positiveInt, record } from '../../../model/fields.ts';
import { scale } from '../segment.ts';
import type { LoadModel } from './types.ts';

const schema = record(
  {
    model: z.literal('constant-sessions'),
    sessions: positiveInt('a positive number of concurrent sessions'),
    duration: positiveDuration('how long the load runs'),
  },
  'a closed load: { name, model: constant-sessions, sessions, duration, ... }',
);

export const constantSessions = {
  name: 'constant-sessions',
  schema,
  kind: 'closed',
  describe: (spec) => `constant-sessions ${spec.sessions} at once`,
  // The lanes are the units: a segment keeps its share of them going.
  schedule: (spec, segment) => ({
    kind: 'closed',
    lanes: scale(segment, spec.sessions),
    durationMs: spec.duration,
  }),
  durationMs: (spec) => spec.duration,
  withDuration: (spec, ms) => ({ ...spec, duration: ms }),
} satisfies LoadModel<typeof schema>;
