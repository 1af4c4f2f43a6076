import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { readAllStats } from '../../../harness/observe/proc.ts';
import { GeneratorPool, generatorCount } from '../../../harness/run/generators.ts';
import { loadSuiteText } from '../../../harness/suite/load.ts';
import type { ParsedSuite } from '../../../harness/suite/schema.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';
import { startEchoEndpoint } from '../../../host/echo-endpoint.ts';
import type { GeneratorSample, LoadSample } from '../../../model/history.ts';
import {
  jobProcesses,
  PINNED_NODE,
  startJob,
  stillAliveAfter,
  waitFor,
} from '../../helpers/process-group.ts';

const suiteOf = (yaml: string): ParsedSuite => {
  const r = loadSuiteText(`name: t\ntarget: { command: [x, "{port}"], port: auto }\n${yaml}`, 't.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded.suite;
};

const history = () =>
  new HistoryWriter({
    version: 2,
    suite: 't',
    file: 't.yaml',
    text: '',
    seed: 1,
    startedAt: new Date().toISOString(),
    tool: { name: 'test', version: '0', node: process.version, platform: process.platform },
  });

const gone = async (pids: readonly number[], ms: number): Promise<number[]> => {
  const end = Date.now() + ms;
  for (;;) {
    const stats = await readAllStats();
    const left = pids.filter((p) => stats.some((s) => (s.pid === p || s.pgrp === p) && s.state !== 'Z'));
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
};

const poolFor = async (t: Test, suite: ParsedSuite, count: number, extra: object = {}) => {
  const echo = await startEchoEndpoint();
  t.teardown(() => echo.close());
  const watchdog = await Watchdog.start();
  t.teardown(() => watchdog.close());
  const h = history();
  const failures: string[] = [];
  const target = { host: '127.0.0.1', port: Number(new URL(echo.url('/')).port) };
  const pool = await GeneratorPool.start({
    count,
    watchdog,
    history: h,
    loads: suite.load,
    target,
    seed: 1,
    allowRemote: false,
    onFailure: (m) => failures.push(m),
    onLog: () => undefined,
    ...extra,
  });
  return { pool, h, failures };
};

t.test('two generators run one load between them: every arrival once, windows merged into one', async (t) => {
  const suite = suiteOf(
    'load:\n  - { name: a, via: /a, model: constant-arrival-rate, rate: 60, duration: 1s, session: { calls: 2 } }',
  );
  const { pool, h, failures } = await poolFor(t, suite, 2);
  t.ok(pool !== undefined);
  t.teardown(() => pool!.close());
  pool!.start();
  const tick = setInterval(() => void pool!.emitWindows(), 200);
  await pool!.done;
  await pool!.stop(5000);
  clearInterval(tick);
  await pool!.emitWindows();
  const samples = h.history.events.filter((e): e is LoadSample => e.kind === 'sample' && e.source === 'load');
  t.equal(
    samples.reduce((n, s) => n + s.started, 0),
    60,
    'rate x duration, split between them',
  );
  t.equal(
    samples.reduce((n, s) => n + s.ok, 0),
    60,
  );
  t.equal(
    samples.reduce((n, s) => n + s.calls.ok, 0),
    120,
  );
  const times = samples.map((s) => s.t);
  t.same(times, [...new Set(times)], 'one sample of the load per window, not one per generator');
  const health = h.history.events.filter(
    (e): e is GeneratorSample => e.kind === 'sample' && e.source === 'generator',
  );
  t.same([...new Set(health.map((g) => g.generator))].sort(), [0, 1], "each generator's health");
  t.ok(health.every((g) => g.pid !== undefined && (g.rssBytes ?? 0) > 0));
  t.same(failures, []);
  const pids = pool!.pids;
  await pool!.close();
  t.same(await gone(pids, 5000), [], 'no generator process left');
});

t.test(
  'a generator that dies mid-run fails the pool with its reason, and leaves no process behind',
  async (t) => {
    const suite = suiteOf(
      'load:\n  - { name: a, via: /a, model: constant-sessions, sessions: 4, duration: 30s }',
    );
    const { pool, failures } = await poolFor(t, suite, 2);
    t.teardown(() => pool!.close());
    pool!.start();
    await new Promise((r) => setTimeout(r, 300));
    const [first, second] = pool!.pids;
    process.kill(second!, 'SIGKILL');
    await pool!.done;
    t.equal(failures.length, 1);
    t.match(
      failures[0],
      new RegExp(`generator 1 of 2 \\(segment 1/2:1, pid ${second}\\) was killed by SIGKILL during the run`),
    );
    await pool!.stop(0);
    await pool!.close();
    t.same(await gone([first!, second!], 5000), [], 'neither generator is left');
  },
);

t.test('a generator that never says hello fails the start, and is killed', async (t) => {
  const suite = suiteOf(
    'load:\n  - { name: a, via: /a, model: constant-sessions, sessions: 1, duration: 1s }',
  );
  const spawned: number[] = [];
  const { pool, failures } = await poolFor(t, suite, 1, {
    argv: () => [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
    helloMs: 500,
  });
  t.equal(pool, undefined);
  t.match(failures[0], /generator 0 of 1 \(segment 0:1, pid \d+\) did not start within 0\.5s/);
  const pid = Number(/pid (\d+)/.exec(failures[0]!)![1]);
  spawned.push(pid);
  t.same(await gone(spawned, 5000), []);
});

t.test('auto is the cores the target does not need, at least one', async (t) => {
  const program = suiteOf(
    'generators: auto\nload:\n  - { name: a, via: /a, model: constant-sessions, sessions: 1, duration: 1s }',
  );
  t.equal(generatorCount(program, 8), 7, 'a program takes one core');
  t.equal(generatorCount(program, 1), 1, 'at least one');
  t.equal(generatorCount({ ...program, generators: 3 }, 8), 3, 'a number is that number');
  t.equal(
    generatorCount({ ...program, generators: undefined }, 8),
    undefined,
    'none: load runs in the harness',
  );
  const host = {
    ...program,
    target: { ...program.target, host: { services: [{}, {}] } } as unknown as ParsedSuite['target'],
  };
  t.equal(generatorCount(host, 8), 5, 'the host takes its listener and a worker per service');
  t.equal(generatorCount(host, 2), 1);
});

t.test(
  'a run whose generator is killed mid-run is invalid with its reason, and leaves no process behind',
  async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
    const state = await mkdtemp(join(tmpdir(), 'nettcp-chaos-state-'));
    const job = startJob(
      PINNED_NODE,
      [
        'run',
        'test/fixtures/suites/long-program.yaml',
        '--out',
        out,
        '--generators',
        '2',
        '--duration',
        '20s',
      ],
      { NETTCP_CHAOS_STATE_DIR: state },
    );
    t.teardown(() => {
      for (const p of [job.pgid]) {
        try {
          process.kill(-p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    await waitFor(job.stderr, /\] load /, 30_000);
    const history = join(out, 'long-program', 'history.ndjson');
    const started = (await readFile(history, 'utf8'))
      .split('\n')
      .filter((l) => l.includes('generator process(es)'))
      .map((l) => JSON.parse(l) as { data: { generators: { pid: number }[] } })[0];
    const pids = started!.data.generators.map((g) => g.pid);
    t.equal(pids.length, 2);
    const tree = await jobProcesses(job);
    t.ok(
      pids.every((p) => tree.some((k) => k.pid === p)),
      'the generators are children of the harness',
    );
    process.kill(pids[1]!, 'SIGKILL');
    const exit = await job.exited;
    t.same(exit, { code: 4, signal: null }, job.stderr().slice(-2000));
    const report = JSON.parse(await readFile(join(out, 'long-program', 'report.json'), 'utf8')) as {
      outcome: { invalidCode: string; invalidReason: string };
    };
    t.equal(report.outcome.invalidCode, 'RUN_GENERATOR_FAILED');
    t.match(
      report.outcome.invalidReason,
      new RegExp(`generator 1 of 2 .*pid ${pids[1]}\\) was killed by SIGKILL`),
    );
    t.same(await stillAliveAfter(tree, 5000), [], 'no process of the run is left');
    t.same(await gone(pids, 1000), [], 'no generator, nor anything in its group');
  },
);
