import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runCli } from '../../helpers/cli.ts';

const ECHO = fileURLToPath(new URL('../../fixtures/programs/echo-server.ts', import.meta.url));
const SUITE = `name: \${NTC_NAME:-env-suite}
seed: 3
target:
  command: [node, ${JSON.stringify(ECHO)}, "{port}"]  # \${NOT_READ} in a comment
  port: auto
load:
  - { name: steady, via: /svc, model: constant-arrival-rate, rate: \${NTC_RATE}, duration: \${NTC_DURATION:-1s} }
probe: { interval: 100ms, timeout: 1s }
checks:
  listener.responsive: { maxGap: 2s }
`;

const suiteFile = async (text = SUITE): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  await writeFile(join(dir, 's.yaml'), text);
  return join(dir, 's.yaml');
};

t.test(
  'validate: an unset variable without a default names the file, line, column and variable',
  async (t) => {
    const f = await suiteFile();
    const r = await runCli(['validate', f], { env: {} });
    t.equal(r.exitCode, 2);
    t.equal(
      String(r.stderr),
      `${f}:7:68 \${NTC_RATE}: NTC_RATE is not set in the environment and has no default (\${NTC_RATE:-VALUE} gives one)`,
    );
  },
);

t.test('validate: a problem after a value put in points at the file as written', async (t) => {
  const f = await suiteFile();
  const r = await runCli(['validate', f], { env: { NTC_RATE: '1000000', NTC_DURATION: 'soon' } });
  t.equal(r.exitCode, 2);
  t.match(
    String(r.stderr),
    new RegExp(`^${f}:7:91 load\\[0\\]\\.duration: expected .*, got "soon" \\(string\\)$`),
  );
});

t.test('validate and run --dry-run take --set, the value read as YAML, over the environment', async (t) => {
  const f = await suiteFile();
  const env = { NTC_RATE: '20', NTC_NAME: 'from-env' };
  const ok = await runCli(['validate', f, '--set', 'checks.listener.responsive.maxGap=3s'], { env });
  t.equal(ok.exitCode, 0, String(ok.stderr));
  t.match(String(ok.stdout), /^ok .*: from-env, 1 load\(s\)/);
  const plan = await runCli(['run', f, '--dry-run', '--json', '--set', 'load.0.rate=35', '--set', 'seed=9'], {
    env,
  });
  t.equal(plan.exitCode, 0, String(plan.stderr));
  t.match(JSON.parse(String(plan.stdout)), [{ suite: 'from-env', seed: 9 }]);
  t.match(String(plan.stdout), /constant-arrival-rate 35 sessions\/s/);
  const bad = await runCli(['validate', f, '--set', 'load.0.rate=fast', '--set', 'load.2.rate=1'], { env });
  t.equal(bad.exitCode, 2);
  t.equal(
    String(bad.stderr),
    [
      '--set load.2.rate=1: load.2.rate: no list item 2 (the list has 1)',
      '--set load.0.rate=fast: load[0].rate: expected a positive number of sessions per second, got "fast" (string)',
    ].join('\n'),
  );
  const usage = await runCli(['run', f, '--set', 'rate'], { env });
  t.equal(usage.exitCode, 2);
  t.match(String(usage.stderr), /--set: expected PATH=VALUE/);
});

t.test('a run records the values it was given in its history', async (t) => {
  const f = await suiteFile();
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
  const r = await runCli(['run', f, '--out', out, '--set', 'load.0.rate=25'], {
    env: { NTC_RATE: '20' },
  });
  t.equal(r.exitCode, 0, String(r.stderr));
  t.same(await readdir(out), ['env-suite']);
  const history = await readFile(join(out, 'env-suite', 'history.ndjson'), 'utf8');
  const [meta, ...events] = history
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(meta!['text'], /rate: 25/, 'the suite as run');
  const logged = events.filter((e) => e['kind'] === 'log').map((e) => e['message']);
  t.ok(logged.includes('${NTC_RATE}: "20" from the environment'), 'the variable');
  t.ok(logged.includes('${NTC_DURATION:-1s}: its default "1s" (NTC_DURATION is not set)'), 'the default');
  t.ok(logged.includes('--set load.0.rate=25'), 'the override');
});
