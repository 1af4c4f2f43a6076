// Running a reproduction suite from suites/ through the command line with shortened load, and checking
// that each of its runs failed exactly the checks it should (none: it passed).

import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { runCli } from '../helpers/cli.ts';

// Loads this long instead of their shipped length: every fault of the seed suites falls inside it.
export const SHORT = '9s';

type Report = { suite: string; outcome: { result: string }; verdicts: { check: string; status: string }[] };

const reportsOf = async (out: string): Promise<Map<string, Report>> => {
  const m = new Map<string, Report>();
  for (const d of await readdir(out, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const r = JSON.parse(await readFile(join(out, d.name, 'report.json'), 'utf8')) as Report;
    m.set(r.suite, r);
  }
  return m;
};

const failing = (r: Report | undefined) =>
  r?.verdicts
    .filter((v) => v.status === 'fail')
    .map((v) => v.check)
    .sort();

// Runs suites/SUITE.yaml (or `o.file`); `runs` names each variant and the checks it must fail.
export const checkPair = async (
  t: Test,
  suite: string,
  runs: Record<string, string[]>,
  o: { file?: string; duration?: string } = {},
): Promise<void> => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-pairs-'));
  const file = o.file ?? `suites/${suite}.yaml`;
  const r = await runCli(['run', file, '--duration', o.duration ?? SHORT, '--out', out], {
    timeout: 110_000,
  });
  if (r.exitCode !== 0) t.comment(String(r.stdout));
  t.equal(r.exitCode, 0, 'every run met its expectation');
  const reports = await reportsOf(out);
  for (const [variant, mustFail] of Object.entries(runs)) {
    const rep = reports.get(`${suite}.${variant}`);
    t.equal(rep?.outcome.result, 'met', `${variant} met its expectation`);
    t.same(
      failing(rep),
      [...mustFail].sort(),
      `${variant} fails exactly ${mustFail.join(', ') || 'nothing'}`,
    );
  }
};
