// The load models, under the names suites use.

import type * as z from 'zod';
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

// One load schema per model, each the model's fields with `fields` (a client's and those every load has)
// added: the options of a client's union on `model`. Written out model by model, in MODEL_LIST's order, so
// each option keeps its own type (a mapped tuple would need a cast).
export const withEachModel = <F extends z.core.$ZodLooseShape>(fields: F) =>
  [
    constantArrivalRate.schema.extend(fields),
    rampingArrivalRate.schema.extend(fields),
    constantSessions.schema.extend(fields),
  ] as const;
