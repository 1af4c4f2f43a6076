// What every load has whatever its client and model: a name and when it starts. Each client's fields
// (clients/*-fields.ts: where it goes, what it sends) and each model's (models/*.ts: when sessions start)
// are added to these, one schema per client and model (clients/index.ts).

import { duration, positiveInt, text } from '../../model/fields.ts';

// The fields every load has.
export const loadFields = {
  name: text('a name for this load'),
  startAt: duration('when this load starts, from the start of load').prefault('0s'),
};

// Open models' cap on sessions in flight.
export const maxSessions = positiveInt(
  'a positive cap on sessions in flight; starts beyond it are dropped',
).default(1000);
