// The load models, under the names suites use.

import type { LoadSpec } from '../../suite/schema.ts';
import { constantArrivalRate } from './constant-arrival-rate.ts';
import { constantSessions } from './constant-sessions.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';
import type { LoadModel } from './types.ts';

const MODELS = {
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'constant-sessions': constantSessions,
};

// The model of a load spec.
export const modelOf = (spec: LoadSpec): LoadModel => MODELS[spec.model];
