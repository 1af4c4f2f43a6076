import { execa } from 'execa';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { readAllStats, readStat } from '../../harness/observe/proc.ts';
import { CLI } from '../helpers/cli.ts';
import { waitUntil } from './fault-helpers.ts';

const ECHO = fileURLToPath(new URL('../fixtures/programs/echo-server.ts', import.meta.url));

const suite = (name: string, loadFor: string, faults: string[]) => `name: ${name}
seed: 1
target:
  command: [node, ${ECHO}, '{port}']
  port: auto
load:
  - { name: steady, via: /svc, model: constant-arrival-rate, rate: 5, duration: ${loadFor} }
faults: [${faults.join(', ')}]
probe: { interval: 250ms }
drain: 1s
checks:
  listener.responsive: { maxGap: 30s }
`;

type Event = { kind: string; type?: string; id?: string; detail?: Record<string, unknown> };

const history = async (dir: string): Promise<Event[]> =>
  (await readFile(join(dir, 'history.ndjson'), 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Event);

// Busy processes and stopped processes anywhere that this test could have caused.
const leftovers = async (pids: readonly number[]) => {
  const stats = await readAllStats();
  const busy: number[] = [];
  for (const s of stats) {
    if (s.state === 'Z') continue;
    const cmd = await readFile(`/proc/${s.pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('faults/busy-process.ts') && pids.includes(s.pid)) busy.push(s.pid);
  }
  const stopped = stats.filter((s) => s.state === 'T' && pids.includes(s.pid)).map((s) => s.pid);
  return { busy, stopped };
};

t.test(
  'SIGKILL of the harness mid-fault leaves nothing behind, and the next sweep has nothing to heal',
  async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'nettcp-chaos-sigkill-'));
    const state = join(work, 'state');
    const env = { NETTCP_CHAOS_STATE_DIR: state };
    await writeFile(
      join(work, 'crash.yaml'),
      suite('crash', '30s', [
        '{ kind: cpu-spike, at: 300ms, duration: 20s, workers: 2 }',
        '{ kind: pause, at: 300ms, duration: 20s, select: root }',
      ]),
    );
    const child = execa(
      process.execPath,
      [CLI, 'run', join(work, 'crash.yaml'), '--out', join(work, 'runs')],
      {
        reject: false,
        env,
      },
    );
    const runDir = join(work, 'runs', 'crash');
    const injected = await waitUntil(
      async () =>
        (await history(runDir)).filter((e) => e.kind === 'fault' && e.type === 'inject').length === 2,
      20_000,
    );
    t.ok(injected, 'both faults took effect');
    const events = await history(runDir);
    const active = (id: string) =>
      events.find((e) => e.type === 'inject' && e.id === id)!.detail!['active'] as {
        processes: { pid: number }[];
      };
    const busy = active('cpu-spike#0').processes.map((p) => p.pid);
    const paused = active('pause#1').processes.map((p) => p.pid);
    t.equal(busy.length, 2);
    t.equal((await readStat(paused[0]!))?.state, 'T', 'the target is stopped');
    t.same((await leftovers(busy)).busy.sort(), [...busy].sort(), 'the busy processes run');
    const journals = await readdir(join(state, 'journals'));
    t.equal(journals.length, 1, 'the run keeps a journal');
    const journal = await readFile(join(state, 'journals', journals[0]!), 'utf8');
    t.match(journal, /"type":"intent","id":"cpu-spike#0"/);
    t.match(journal, /"type":"active","id":"pause#1"/);

    child.kill('SIGKILL');
    await child;
    const all = [...busy, ...paused];
    t.ok(
      await waitUntil(async () => {
        const l = await leftovers(all);
        return l.busy.length === 0 && l.stopped.length === 0;
      }, 10_000),
      'no busy process and no stopped process is left',
    );
    t.ok(
      await waitUntil(
        async () => (await Promise.all(all.map(readStat))).every((s) => s === undefined || s.state === 'Z'),
        10_000,
      ),
      'every process the faults touched is gone',
    );
    t.equal((await readdir(join(state, 'journals'))).length, 1, "the dead run's journal is still there");

    await writeFile(join(work, 'next.yaml'), suite('next', '1s', []));
    const next = await execa(
      process.execPath,
      [CLI, 'run', join(work, 'next.yaml'), '--out', join(work, 'runs')],
      {
        reject: false,
        env,
      },
    );
    t.equal(next.exitCode, 0, String(next.stderr).slice(-2000));
    // Nothing healed, so nothing on the console; the history says what the sweep found.
    t.notMatch(String(next.stderr), /journal sweep|continued pid|killed busy process/);
    const logged = (await history(join(work, 'runs', 'next'))).filter(
      (e) => e.kind === 'log' && String((e as { message?: string }).message).startsWith('journal sweep'),
    );
    t.equal(logged.length, 1, "the sweep is in the next run's history");
    t.match(logged[0], {
      level: 'info',
      message:
        /^journal sweep: nothing to heal from the run of crash \(pid \d+, started [^)]+\) \(cpu-spike#0, pause#1 still open/,
    });
    t.same(await readdir(join(state, 'journals')), [], 'and the journal is gone');
  },
);
