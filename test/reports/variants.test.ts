import t from 'tap';
import { buildReport } from '../../reports/json.ts';
import { renderVariants, variantRow } from '../../reports/variants.ts';
import { handMadeRun } from './fixtures.ts';

t.test('a variant in which no session succeeded has no latency, never a fast one', async (t) => {
  const fixed = handMadeRun(false);
  const down = handMadeRun(false);
  const report = buildReport(down);
  const l = report.loads[0]!;
  l.failed = { reset: l.ok };
  l.ok = 0;
  l.latencyMs.corrected = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const rows = [variantRow('fixed', fixed, buildReport(fixed)), variantRow('down', down, report)];
  t.equal(rows[1]!.p99Ms, null);
  t.ok(rows[0]!.p99Ms !== null && rows[0]!.p99Ms > 0);
  const text = renderVariants('hand-made', rows);
  t.match(text, /latency of the sessions that succeeded/);
  t.match(text, /\n {2}down .* 100\.0% +none ok +none ok +/);
});
