// The load models, under the names suites use.

import { byName } from '../../../model/plugin.ts';
import { constantArrivalRate } from './constant-arrival-rate.ts';
import { constantSessions } from './constant-sessions.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';
import type { AnyModel } from './types.ts';

export const MODEL_LIST = [constantArrivalRate, rampingArrivalRate, constantSessions] as const;

// Every model by name.
export const MODELS: ReadonlyMap<string, AnyModel> = byName<AnyModel>(MODEL_LIST);

// The model of a load spec (validated, so its model exists).
export const modelOf = (spec: { model: string }): AnyModel => MODELS.get(spec.model)!;
