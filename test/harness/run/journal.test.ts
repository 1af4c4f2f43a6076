import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FaultTarget } from '../../../faults/types.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { readStat } from '../../../harness/observe/proc.ts';
import { FaultTimeline } from '../../../harness/run/fault-timeline.ts';
import { Journal, journalDir, type JournalLine } from '../../../harness/run/journal.ts';
import { sweepJournals } from '../../../harness/run/journal-sweep.ts';
import { Watchdog } from '../../../harness/target/watchdog.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'nettcp-chaos-journal-'));
const lines = async (path: string): Promise<JournalLine[]> =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine);

const stateOf = async (pid: number) => {
  const s = await readStat(pid);
  return s === undefined || s.state === 'Z' ? 'gone' : s.state;
};

// A process of our own to stand in for what a crashed run left: `sleep 30`, with its identity.
const sleeper = async (t: Test) => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  const pid = child.pid!;
  let s = await readStat(pid);
  for (let i = 0; s === undefined && i < 50; i++) s = await readStat(pid);
  return { pid, starttime: s!.starttime };
};

// The identity of a process that has exited: a dead owner.
const deadOwner = async () => {
  const child = spawn('sleep', ['0.2'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const pid = child.pid!;
  const s = await readStat(pid);
  await exited;
  return { pid, starttime: s?.starttime ?? 1 };
};

const writeJournal = async (dir: string, name: string, body: unknown[]) =>
  writeFile(join(dir, name), body.map((l) => JSON.stringify(l)).join('\n') + '\n');

t.test('the journal lives in the state directory the environment names', async (t) => {
  t.equal(journalDir({ NETTCP_CHAOS_STATE_DIR: '/x/state' }), '/x/state/journals');
  t.equal(journalDir({ XDG_STATE_HOME: '/x/xdg' }), '/x/xdg/nettcp-chaos/journals');
  t.match(journalDir({ HOME: '/x/home' }), /\/\.local\/state\/nettcp-chaos\/journals$/);
});

t.test('a journal names its owner, keeps each fault until it heals, and goes when all have', async (t) => {
  const dir = await tempDir();
  const j = await Journal.open('suite-a', dir);
  const [owner] = await lines(j.path);
  t.match(owner, { type: 'owner', pid: process.pid, suite: 'suite-a' });
  t.equal((owner as { starttime: number }).starttime, (await readStat(process.pid))!.starttime);
  j.intent('pause#0', 'pause', 'pause it', { kind: 'pause', at: 0 });
  t.match((await lines(j.path)).at(-1), { type: 'intent', id: 'pause#0', kind: 'pause' });
  j.active('pause#0', { processes: [] });
  j.healed('pause#0');
  t.same(j.open, []);
  j.close();
  t.same(await readdir(dir), [], 'removed once every fault healed');

  const k = await Journal.open('suite-b', dir);
  k.intent('cpu-spike#0', 'cpu-spike', 'spike', {});
  k.active('cpu-spike#0', { scope: 'system', processes: [] });
  k.healFailed('cpu-spike#0', 'it would not die');
  k.close();
  t.same(await readdir(dir), [k.path.split('/').at(-1)], 'kept for the sweep while a fault is open');
});

t.test('the intent is on disk before the fault acts', async (t) => {
  const dir = await tempDir();
  const journal = await Journal.open('order', dir);
  const seen: string[] = [];
  // A host stand-in whose control channel looks at the journal when the fault first acts.
  const target: FaultTarget = {
    kind: 'host',
    pid: process.pid,
    pids: () => Promise.resolve([process.pid]),
    control: async (req) => {
      seen.push(`${String(req['command'])}: ${(await readFile(journal.path, 'utf8')).includes('"intent"')}`);
      return { recycled: [] };
    },
  };
  const watchdog = await Watchdog.start();
  const history = new HistoryWriter({
    version: 1,
    suite: 'order',
    file: 'x',
    text: '',
    seed: 1,
    startedAt: '',
    tool: { name: '', version: '', node: '', platform: '' },
  });
  const timeline = new FaultTimeline({
    specs: [{ kind: 'recycle', at: 0, mode: 'overlapped', path: '/orders' }],
    target,
    history,
    watchdog,
    seed: 1,
    signal: new AbortController().signal,
    journal,
  });
  timeline.start(history.now());
  await new Promise((r) => setTimeout(r, 200));
  await timeline.healAll();
  await watchdog.close();
  t.equal(seen[0], 'status: true', 'the intent was written before the first command');
  t.same(
    (await lines(journal.path)).map((l) => l.type),
    ['owner', 'intent', 'active', 'healed'],
  );
  journal.close();
});

t.test('the sweep heals what a dead run left open, only where the process is still the same', async (t) => {
  const dir = await tempDir();
  const owner = await deadOwner();
  const stopped = await sleeper(t);
  process.kill(stopped.pid, 'SIGSTOP');
  const busy = await sleeper(t);
  const reused = await sleeper(t);
  process.kill(reused.pid, 'SIGSTOP');
  t.teardown(() => process.kill(reused.pid, 'SIGCONT'));
  const at = new Date().toISOString();
  await writeJournal(dir, 'dead.ndjson', [
    { type: 'owner', ...owner, suite: 'crashed', startedAt: at },
    { type: 'intent', id: 'cpu-spike#0', kind: 'cpu-spike', label: 'spike', spec: {}, at },
    { type: 'active', id: 'cpu-spike#0', active: { scope: 'system', processes: [busy] }, at },
    { type: 'intent', id: 'pause#1', kind: 'pause', label: 'pause', spec: {}, at },
    {
      type: 'active',
      id: 'pause#1',
      active: {
        processes: [
          { ...stopped, role: 'process' },
          // The pid of a process that is not the one paused (another start time): left alone.
          { pid: reused.pid, starttime: reused.starttime + 7, role: 'process' },
        ],
        stoppedAt: 0,
      },
      at,
    },
    { type: 'intent', id: 'recycle#2', kind: 'recycle', label: 'recycle', spec: {}, at },
    { type: 'active', id: 'recycle#2', active: { before: [], after: [] }, at },
    { type: 'healed', id: 'recycle#2', at },
    '{"type":"heal',
  ]);
  // A live run's journal (ours) is never touched.
  await writeJournal(dir, 'alive.ndjson', [
    {
      type: 'owner',
      pid: process.pid,
      starttime: (await readStat(process.pid))!.starttime,
      suite: 'live',
      startedAt: at,
    },
    { type: 'intent', id: 'pause#0', kind: 'pause', label: 'p', spec: {}, at },
    {
      type: 'active',
      id: 'pause#0',
      active: { processes: [{ ...reused, role: 'process' }], stoppedAt: 0 },
      at,
    },
  ]);
  const r = await sweepJournals({ dir });
  t.equal(r.healed, 2);
  t.equal(r.journals.length, 1);
  t.same(
    r.journals[0]!.faults.map((f) => f.id),
    ['pause#1', 'cpu-spike#0'],
    'open faults healed in reverse order; the healed recycle is not listed',
  );
  t.match(
    r.lines.join('\n'),
    new RegExp(`pause#1 \\(pause\\) of the run of crashed \\(pid ${owner.pid}.*continued pid ${stopped.pid}`),
  );
  t.match(r.lines.join('\n'), new RegExp(`killed busy process ${busy.pid}`));
  t.equal(await stateOf(stopped.pid), 'S', 'the stopped process runs again');
  let busyState = await stateOf(busy.pid);
  for (let i = 0; busyState !== 'gone' && i < 100; i++) {
    await new Promise((res) => setTimeout(res, 20));
    busyState = await stateOf(busy.pid);
  }
  t.equal(busyState, 'gone', 'the busy stand-in was killed');
  t.equal(await stateOf(reused.pid), 'T', 'a process with another start time was not signalled');
  t.same(await readdir(dir), ['alive.ndjson'], "the dead run's journal is gone, the live one's kept");

  const again = await sweepJournals({ dir });
  t.same(again.lines, ['journal sweep: nothing to heal']);
});

t.test('a dead run whose processes are gone leaves nothing to heal, and says so', async (t) => {
  const dir = await tempDir();
  const owner = await deadOwner();
  const gone = await deadOwner();
  const at = new Date().toISOString();
  await writeJournal(dir, 'dead.ndjson', [
    { type: 'owner', ...owner, suite: 'crashed', startedAt: at },
    { type: 'intent', id: 'pause#0', kind: 'pause', label: 'pause', spec: {}, at },
    {
      type: 'active',
      id: 'pause#0',
      active: { processes: [{ ...gone, role: 'process' }], stoppedAt: 0 },
      at,
    },
  ]);
  const r = await sweepJournals({ dir });
  t.equal(r.healed, 0);
  t.match(r.lines, [/^journal sweep: nothing to heal from the run of crashed .*pause#0 still open/]);
  t.same(await readdir(dir), []);
});

t.test('faults left open are named in the suite order, whichever began first', async (t) => {
  const dir = await tempDir();
  const owner = await deadOwner();
  const at = new Date().toISOString();
  await writeJournal(dir, 'dead.ndjson', [
    { type: 'owner', ...owner, suite: 'crashed', startedAt: at },
    { type: 'intent', id: 'cpu-spike#0', kind: 'cpu-spike', label: 'cpu', spec: {}, at },
    { type: 'intent', id: 'pause#10', kind: 'pause', label: 'pause', spec: {}, at },
    { type: 'intent', id: 'pause#2', kind: 'pause', label: 'pause', spec: {}, at },
  ]);
  const r = await sweepJournals({ dir });
  t.match(r.lines, [/\(cpu-spike#0, pause#2, pause#10 still open/]);
});
