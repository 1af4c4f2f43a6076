// The fields a SOAP call has whichever binding carries it (net.tcp's soap block, HTTP's): the operation, its
// parameters, and the contract that names its default action. Each client adds its own (encoding, version,
// headers) to these.

import * as z from 'zod';
import { text } from '../../../model/fields.ts';

// The common fields; `payload` names the field whose size {payload} takes (session.payload, payload).
export const soapCallFields = (payload: string) => ({
  operation: text('the operation name (for example Echo)'),
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
      error: 'the operation parameters by name: { text: hello }',
    })
    .meta({
      description: `the operation parameters by name: { text: hello }; {payload} in a value stands for ${payload} seeded characters`,
    })
    .default({}),
  contract: text(
    'the service contract name (for the default action {namespace}{contract}/{operation})',
  ).optional(),
  namespace: text('the contract namespace (default http://tempuri.org/)').optional(),
});
