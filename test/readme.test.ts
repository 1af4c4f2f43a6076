import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { runCli } from './helpers/cli.ts';

// The README's first suite (under "## A suite"), and the text that follows it.
const firstSuite = async (): Promise<{ yaml: string; after: string }> => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## A suite\n'));
  const m = /```yaml\n([\s\S]*?)```\n([\s\S]*?)\n## /.exec(section);
  if (m === null) throw new Error('README.md has no yaml block under "## A suite"');
  return { yaml: m[1]!, after: m[2]! };
};

t.test("the README's first suite meets its own expectation, and the rule is stated beside it", async (t) => {
  const { yaml, after } = await firstSuite();
  const suite = parse(yaml) as { name: string; checks: Record<string, unknown>; expect: { fail: string[] } };
  t.match(
    after,
    /`expect: \{ fail: \[\.\.\.\] \}`, is met only when exactly the named checks fail and every other check\s+passes/,
  );
  for (const check of suite.expect.fail) t.match(after, `\`${check}\``, `the text says why ${check} fails`);

  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-readme-'));
  const file = join(dir, 'readme-suite.yaml');
  await writeFile(file, yaml);
  // Load long enough after the recycle (at 3s) for the new worker to come up on a busy machine.
  const r = await runCli(['run', file, '--duration', '10s', '--out', join(dir, 'out')], { timeout: 90_000 });
  t.equal(r.exitCode, 0, String(r.stdout));
  t.match(String(r.stdout), new RegExp(`^${suite.name}: met its expectation`));
  const report = JSON.parse(await readFile(join(dir, 'out', suite.name, 'report.json'), 'utf8')) as {
    verdicts: { check: string; status: string }[];
  };
  t.same(
    Object.fromEntries(report.verdicts.map((v) => [v.check, v.status])),
    Object.fromEntries(
      Object.keys(suite.checks).map((c) => [c, suite.expect.fail.includes(c) ? 'fail' : 'pass']),
    ),
    'exactly the named checks failed',
  );
});
