// Schema pieces every fault spec shares.

import * as z from 'zod';
import { duration, positiveDuration, text } from '../harness/suite/fields.ts';

// The fields of every fault: its kind, when it starts, and (for lasting faults) how long it lasts.
export const faultFields = <K extends string>(kind: K) => ({
  kind: z.literal(kind, { error: `the fault kind ${JSON.stringify(kind)}` }),
  at: duration('when the fault starts, from the start of load'),
  name: text('a label for this fault in reports').optional(),
});

// The duration field of lasting faults.
export const faultDuration = () => positiveDuration('how long the fault lasts');

// Signal names a suite may use.
export const SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGKILL',
  'SIGUSR1',
  'SIGUSR2',
  'SIGSTOP',
  'SIGCONT',
] as const;
