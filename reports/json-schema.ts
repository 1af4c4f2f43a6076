// schema/report.schema.json, generated from reportSchema so the file and the reports cannot disagree.
// `npm run schema` rewrites it; a test fails when it is stale.

import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { reportSchema } from './report-schema.ts';

// report.json's JSON Schema.
export const reportJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(reportSchema, { io: 'input', unrepresentable: 'any' }),
  $id: 'https://nettcp-chaos.invalid/schema/report.schema.json',
});

// The file's text.
export const reportJsonSchemaText = (): string => `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  const out = new URL('../schema/report.schema.json', import.meta.url);
  await writeFile(out, reportJsonSchemaText());
  process.stdout.write(`wrote ${out.pathname}\n`);
}
