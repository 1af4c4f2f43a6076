// Not a speed benchmark: how often handles.noLeak says the same thing about the same program. Runs the
// op-framing fixture (test/fixtures/programs/ops-server.ts) as a program target RUNS times back to back
// in each mode and counts the verdicts: `lazy` opens a file on each of its first 3 sessions and keeps it
// (must pass, with the default warm-up and with none), `leak-every-20` keeps a file every 20 sessions
// (must fail). Prints one line per case and exits 1 when a count is not all of what it must be.
//   node bench/handles-verdicts.ts [RUNS]

import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 5);
const CLI = fileURLToPath(new URL('../bin/nettcp-chaos.js', import.meta.url));
const SERVER = fileURLToPath(new URL('../test/fixtures/programs/ops-server.ts', import.meta.url));

const cases = [
  { name: 'lazy', mode: 'lazy', warmup: 10, must: 'pass' },
  { name: 'lazy-no-warmup', mode: 'lazy', warmup: 0, must: 'pass' },
  { name: 'leak-every-20', mode: 'leak-every-20', warmup: 10, must: 'fail' },
] as const;

const suite = (c: (typeof cases)[number]) =>
  [
    `name: ${c.name}`,
    'target:',
    `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SERVER)}, ${c.mode}, "{port}"]`,
    '  port: auto',
    'load:',
    '  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 40, duration: 5s, session: { calls: 2, operation: echo } }',
    'probe: { interval: 250ms, timeout: 1s }',
    `checks: { handles.noLeak: { tolerance: 2, settle: 1500ms, warmup: ${c.warmup} } }`,
    '',
  ].join('\n');

const dir = await mkdtemp(join(tmpdir(), 'handles-verdicts-'));
let ok = true;
for (const c of cases) {
  const file = join(dir, `${c.name}.yaml`);
  await writeFile(file, suite(c));
  const counts: Record<string, number> = {};
  const summaries: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = join(dir, `${c.name}-${i}`);
    const r = await execa(process.execPath, [CLI, 'run', file, '--out', out], {
      reject: false,
      timeout: 120_000,
      all: true,
    });
    const report = await readFile(join(out, c.name, 'report.json'), 'utf8')
      .then((t) => JSON.parse(t) as { verdicts: { check: string; status: string; summary: string }[] })
      .catch(() => undefined);
    if (report === undefined)
      console.log(
        `  ${c.name} run ${i}: no report (exit ${r.exitCode}): ${(r.all ?? '').split('\n').slice(-5).join(' | ')}`,
      );
    const v = report?.verdicts.find((x) => x.check === 'handles.noLeak');
    counts[v?.status ?? 'missing'] = (counts[v?.status ?? 'missing'] ?? 0) + 1;
    summaries.push(v?.summary ?? '(no verdict)');
  }
  const met = counts[c.must] === RUNS;
  ok &&= met;
  console.log(
    `${c.name}: ${Object.entries(counts)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')} of ${RUNS} (must ${c.must} in all) ${met ? 'ok' : 'NOT MET'}`,
  );
  console.log(`  last: ${summaries.at(-1)}`);
}
process.exit(ok ? 0 : 1);
