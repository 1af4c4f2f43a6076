// Writes a run's reports into its folder: report.json, junit.xml and report.html beside the history.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../model/result.ts';
import { renderHtml } from './html.ts';
import { buildReport, type Report, reportText } from './json.ts';
import { renderJunit } from './junit.ts';

// Renders every report of a run into its folder; returns the report report.json holds, for callers
// that print it too.
export const writeReports = async (r: RunResult): Promise<Report> => {
  const report = buildReport(r);
  await Promise.all([
    writeFile(join(r.dir, 'report.json'), reportText(report)),
    writeFile(join(r.dir, 'junit.xml'), renderJunit(r)),
    writeFile(join(r.dir, 'report.html'), renderHtml(r)),
  ]);
  return report;
};
