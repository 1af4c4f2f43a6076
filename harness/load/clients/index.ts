// The load clients, under the names suites use (`client:` in a load), and the load schema built from the
// clients' and the models' schemas: one option per client and model, each with the fields every load has.

import * as z from 'zod';
import { orList } from '../../../model/format.ts';
import { byName } from '../../../model/plugin.ts';
import { loadFields } from '../load-fields.ts';
import { MODELS, withEachModel } from '../models/index.ts';
import { httpClient } from './http.ts';
import { httpFields } from './http-fields.ts';
import { nettcpClient } from './nettcp.ts';
import { nettcpFields } from './nettcp-fields.ts';
import type { AnyClient } from './types.ts';

export const CLIENT_LIST = [nettcpClient, httpClient] as const;

// Every client by name.
export const CLIENTS: ReadonlyMap<string, AnyClient> = byName<AnyClient>(CLIENT_LIST);

// The client a load without `client:` has.
export const DEFAULT_CLIENT = nettcpClient.name;

// The client of a load spec (validated, so its client exists).
export const clientOf = (spec: { client: string }): AnyClient => CLIENTS.get(spec.client)!;

const MODEL_ERROR = `a load model: ${orList([...MODELS.keys()])}`;

// A client's loads: its fields with each model's, discriminated by `model`.
const loadsOf = <F extends z.core.$ZodLooseShape>(fields: F) =>
  z.discriminatedUnion('model', withEachModel({ ...loadFields, ...fields }), { error: MODEL_ERROR });

// A load: discriminated by `client` (nettcp when absent), then by `model`. Written out client by client,
// in CLIENT_LIST's order, from the fields each client's schema is made of (the plug-ins' own types read
// the parsed suite, so the schema cannot be typed through them).
export const loadSchema = z
  .discriminatedUnion('client', [loadsOf(nettcpFields), loadsOf(httpFields)], {
    error: `a load client: ${orList([...CLIENTS.keys()])}`,
  })
  .meta({ description: 'a load: { name, client, model, ... } (client: nettcp, the default, or http)' });
