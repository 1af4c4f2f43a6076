// Writes a run's reports into its folder: report.json, junit.xml and report.html beside the history.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../harness/run/result.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';

// Renders every report of a run into its folder.
export const writeReports = async (r: RunResult): Promise<void> => {
  await Promise.all([
    writeFile(join(r.dir, 'report.json'), renderJson(r)),
    writeFile(join(r.dir, 'junit.xml'), renderJunit(r)),
    writeFile(join(r.dir, 'report.html'), renderHtml(r)),
  ]);
};
