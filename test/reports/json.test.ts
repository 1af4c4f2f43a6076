import { readFile } from 'node:fs/promises';
import t from 'tap';
import { buildReport, renderJson } from '../../reports/json.ts';
import { reportJsonSchema, reportJsonSchemaText } from '../../reports/json-schema.ts';
import { reportSchema } from '../../reports/report-schema.ts';
import { handMadeRun } from './fixtures.ts';

t.test('report.json fits its schema, and the schema names every field it has', async (t) => {
  for (const defective of [true, false]) {
    const report = JSON.parse(renderJson(handMadeRun(defective)));
    const parsed = reportSchema.safeParse(report);
    t.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    // zod drops fields its schema does not name, so an undocumented field shows up as a difference.
    t.same(parsed.data, report, 'no field outside the schema');
    t.equal(report.schema, 'nettcp-chaos/report');
    t.equal(report.version, 1);
  }
});

t.test('schema/report.schema.json is generated from the schema and up to date', async (t) => {
  const committed = await readFile(new URL('../../schema/report.schema.json', import.meta.url), 'utf8');
  t.equal(committed, reportJsonSchemaText(), 'run npm run schema to regenerate');
  const top = reportJsonSchema() as { required: string[]; properties: Record<string, unknown> };
  t.same(Object.keys(top.properties).sort(), Object.keys(buildReport(handMadeRun(false))).sort());
});

t.test('a defective run reports its error rate, fds per role and the probe gap', async (t) => {
  const r = buildReport(handMadeRun(true));
  t.equal(r.outcome.result, 'not-met');
  t.equal(r.outcome.exitCode, 1);
  t.same(r.loads[0]!.failed, { timeout: 25 });
  t.equal(r.loads[0]!.errorRate, 25 / 200);
  t.ok(r.loads[0]!.latencyMs.corrected.max >= 399, 'the wedged window is in the latency');
  t.equal(r.loads[0]!.latencyMs.corrected.count, 175, 'of the sessions that succeeded');
  t.equal(r.loads[0]!.latencyMs.failed.count, 25, 'the timeouts have their own time to fail');
  t.same(r.loads[0]!.noSuccess, [], 'some sessions succeeded in every window');
  t.same(r.probes.longestGap, { from: 2000, to: 3500, ms: 1500 });
  t.equal(r.probes.failed, 14);
  const worker = r.target.roles.find((x) => x.role === 'worker /orders')!;
  t.same(worker.pids, [200, 300], 'the recycled worker and its successor share the role');
  t.equal(worker.baselineFds, 12);
  t.equal(worker.finalFds, 30);
  t.equal(worker.peakCloseWait, 18);
  t.same(
    r.target.roles.find((x) => x.role === 'listener'),
    { role: 'listener', pids: [100], baselineFds: 15, peakFds: 15, finalFds: 15, peakCloseWait: 0 },
  );
  t.same(
    r.faults.map((f) => [f.id, f.injectedAt, f.healedAt]),
    [['recycle#0', 2000, 2200]],
  );
  t.same(r.target.pid, 100);
});

t.test('verdicts keep their evidence in report.json', async (t) => {
  const r = buildReport(handMadeRun(true));
  const leak = r.verdicts.find((v) => v.check === 'handles.noLeak')!;
  t.equal(leak.status, 'fail');
  t.match(leak.evidence, {
    closeWait: 14,
    subjects: [{ pid: 100 }, { pid: 300, role: 'worker /orders', late: true }],
  });
});
