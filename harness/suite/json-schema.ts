// schema/suite.schema.json, generated from the validator's own schema so the two cannot disagree.
// `npm run schema` rewrites the file; a test fails when it is stale.

import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { suiteSchema } from './schema.ts';

// The suite's JSON Schema, as editors read it (the input form: durations as strings).
export const suiteJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(suiteSchema, { io: 'input', unrepresentable: 'any' }),
  $id: 'https://nettcp-chaos.invalid/schema/suite.schema.json',
  title: 'nettcp-chaos suite',
});

// The file's text.
export const suiteJsonSchemaText = (): string => `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  const out = new URL('../../schema/suite.schema.json', import.meta.url);
  await writeFile(out, suiteJsonSchemaText());
  process.stdout.write(`wrote ${out.pathname}\n`);
}
