import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { attachProgress } from '../../../harness/cli/progress.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import type { HistoryEvent } from '../../../model/history.ts';
import { runCli } from '../../helpers/cli.ts';
import { load, proc } from '../../helpers/history.ts';

const writer = (suite = 's') =>
  new HistoryWriter({
    version: 2,
    suite,
    file: 's.yaml',
    text: '',
    seed: 1,
    startedAt: '2026-01-01T00:00:00Z',
    tool: { name: 'x', version: '0', node: 'v24', platform: 'linux' },
  });

const stream = (tty: boolean) => {
  const out = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  out.isTTY = tty;
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
};

const tick = (at: number): HistoryEvent => ({
  t: at,
  kind: 'sample',
  source: 'generator',
  lagP99Ms: 1,
  lagMaxMs: 2,
  cpuPercent: 5,
});

const fault = (
  at: number,
  type: 'intent' | 'inject' | 'heal' | 'error',
  detail?: Record<string, unknown>,
): HistoryEvent => ({
  t: at,
  kind: 'fault',
  type,
  id: 'recycle#0',
  fault: 'recycle',
  label: 'overlapped recycle of /orders',
  ...(detail === undefined ? {} : { detail }),
});

t.test(
  'on a terminal: one status line with the run, phase, time left, rate, success p99, errors, probe and fds',
  async (t) => {
    const h = writer('kb.defect');
    const s = stream(true);
    const detach = attachProgress(h, s.out);
    h.append({ t: 100, kind: 'phase', phase: 'load', plannedMs: 12_000 });
    h.append({ t: 500, kind: 'sample', source: 'target', processes: [proc(1, { socket: 7, pipe: 2 })] });
    h.append({ t: 900, kind: 'probe', ok: true, ms: 2 });
    h.append(load(1000, { ok: 48, failed: { timeout: 2 }, ms: 12 }));
    h.append(tick(1000));
    const status = s.text().split('\r').at(-1)!;
    t.ok(status.startsWith('\u001b[2K'), 'the line is cleared before it is rewritten');
    t.match(
      status.slice('\u001b[2K'.length),
      /^\[ {3}1\.0s\] load \(11\.1s left\) {2}kb\.defect {2}50\.0 sessions\/s \(48\.0 ok, p99 12ms\) {2}probe ok {2}errors 4%: 2 timeout, failing in 12ms \(2 in all\) {2}fds 9$/,
    );
    detach();
    const [first, ...rest] = s.text().replace(/\n$/, '').split('\n');
    t.equal(first, 'run kb.defect: s.yaml, seed 1', 'the run named once, first');
    t.same(rest.length, 1, 'then no new line until detached');
  },
);

t.test(
  'an outage reads as one: no success p99, every error by kind, the probe failing for how long',
  async (t) => {
    const h = writer();
    const s = stream(true);
    const detach = attachProgress(h, s.out);
    h.append({ t: 0, kind: 'phase', phase: 'load', plannedMs: 10_000 });
    h.append(load(1000, { ok: 50, ms: 3 }));
    h.append(tick(1000));
    h.append({ t: 1100, kind: 'probe', ok: true, ms: 2 });
    h.append({ t: 1300, kind: 'probe', ok: false, ms: 1, failure: { kind: 'reset', stage: 'preamble' } });
    h.append({ t: 1500, kind: 'probe', ok: false, ms: 1, failure: { kind: 'reset', stage: 'preamble' } });
    h.append(load(2000, { ok: 0, failed: { reset: 45, timeout: 5 }, failMs: 1 }));
    h.append(tick(4500));
    detach();
    const status = s.text().split('\r').at(-1)!;
    t.match(
      status,
      /sessions\/s \(none ok: no latency\) {2}probe failing for 3\.2s \(reset in preamble\) {2}errors 100%: 45 reset, 5 timeout, failing in 1\.0ms \(50 in all\)/,
    );
    t.notMatch(status, /p99/, 'never a fast p99 where none succeeded');
  },
);

t.test(
  'each fault gets a line as it is issued, takes effect, heals or fails; harness warnings too',
  async (t) => {
    const h = writer();
    const s = stream(true);
    const detach = attachProgress(h, s.out);
    h.append({ t: 0, kind: 'phase', phase: 'load' });
    h.append(fault(7088, 'intent'));
    h.append({
      t: 7100,
      kind: 'fault',
      type: 'note',
      id: 'recycle#0',
      fault: 'recycle',
      label: 'x',
      detail: {},
    });
    h.append(fault(8741, 'inject'));
    h.append(fault(8742, 'heal'));
    h.append(fault(9000, 'error', { during: 'heal', message: 'the host did not answer' }));
    h.append({
      t: 9500,
      kind: 'log',
      level: 'warn',
      source: 'harness',
      message: 'journal sweep: continued pid 7 (worker /orders), left stopped',
    });
    h.append({
      t: 9600,
      kind: 'log',
      level: 'info',
      source: 'harness',
      message: 'journal sweep: nothing to heal',
    });
    h.append({ t: 9700, kind: 'log', level: 'warn', source: 'target', message: 'host refused' });
    detach();
    const lines = s
      .text()
      .split('\n')
      .map((l) => l.split('\r').at(-1)!.replace('\u001b[2K', ''))
      .filter((l) => !l.includes(' load') && !l.startsWith('run '));
    t.same(
      lines.filter((l) => l !== ''),
      [
        '[   7.1s] fault overlapped recycle of /orders: issued',
        '[   8.7s] fault overlapped recycle of /orders: in effect',
        '[   8.7s] fault overlapped recycle of /orders: healed',
        '[   9.0s] fault overlapped recycle of /orders: FAILED during heal: the host did not answer',
        '[   9.5s] warning: journal sweep: continued pid 7 (worker /orders), left stopped',
      ],
    );
    t.notMatch(s.text(), /nothing to heal/, 'a sweep that healed nothing says nothing');
  },
);

t.test('not on a terminal: plain lines at phases and every few seconds', async (t) => {
  const h = writer();
  const s = stream(false);
  const detach = attachProgress(h, s.out);
  h.append({ t: 100, kind: 'phase', phase: 'load' });
  for (let x = 1000; x <= 12000; x += 1000) {
    h.append(load(x, { ok: 10 }));
    h.append(tick(x));
  }
  detach();
  const lines = s.text().trim().split('\n');
  t.ok(lines.length >= 3 && lines.length <= 5, `${lines.length} lines`);
  t.notMatch(s.text(), /\r/);
});

t.test('a real run: its faults, the probe going dark, time left, and no idle sweep on stderr', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-progress-'));
  // A state folder of its own: another run's crashed journal would be swept, and rightly said.
  const r = await runCli(['run', 'test/fixtures/suites/wedge-program.yaml', '--out', out], {
    env: { NETTCP_CHAOS_STATE_DIR: join(out, 'state') },
  });
  t.equal(r.exitCode, 1, 'the wedge fails its check');
  const err = String(r.stderr);
  t.match(err, /\[ +[\d.]+s\] fault recycle by SIGHUP: issued\n/);
  t.match(err, /\[ +[\d.]+s\] fault recycle by SIGHUP: in effect\n/);
  t.match(err, /\[ +[\d.]+s\] fault recycle by SIGHUP: healed\n/);
  t.match(err, /^run wedge-program: test\/fixtures\/suites\/wedge-program\.yaml, seed 3\n/);
  t.match(err, /\] load \([\d.]+m?s left\) +wedge-program +[\d.]+ sessions\/s/);
  t.match(err, /probe failing for [\d.]+m?s \(\w+ in \w+\)/, 'the listener probe going dark');
  t.match(
    err,
    /sessions\/s \(none ok: no latency\) .*errors 100%: \d+ timeout, failing in [\d.]+m?s/,
    'the wedge as an outage, not fast',
  );
  t.notMatch(err, /journal sweep/, 'a sweep with nothing to heal says nothing');
  t.match(err, /\] done {2}wedge-program {2}\d+ of \d+ sessions failed$/, 'at the end, the totals alone');
});

t.test(
  'on a narrow terminal the line never wraps: faults, then the run name, then fds give way',
  async (t) => {
    const h = writer('kb3017663-overlapped-recycle.defect');
    const s = stream(true);
    (s.out as { columns: number }).columns = 120;
    const detach = attachProgress(h, s.out);
    h.append({ t: 0, kind: 'phase', phase: 'load', plannedMs: 12_000 });
    h.append({ t: 500, kind: 'sample', source: 'target', processes: [proc(1, { socket: 7 })] });
    h.append(fault(700, 'inject'));
    h.append({ t: 900, kind: 'probe', ok: false, ms: 1, failure: { kind: 'reset', stage: 'preamble' } });
    h.append(load(1000, { ok: 0, failed: { reset: 50 }, failMs: 2 }));
    h.append(tick(1000));
    const line = s.text().split('\r').at(-1)!.slice('\u001b[2K'.length);
    t.ok(line.length <= 119, `${line.length} characters`);
    t.match(
      line,
      /^\[ {3}1\.0s\] load \(11\.0s left\) {2}50\.0 sessions\/s \(none ok: no latency\) {2}probe/,
      'the run name gave way',
    );
    t.match(line, /probe failing for 100ms \(reset in preamble\)/, 'the probe stays');
    t.notMatch(line, /faults:/, 'the faults have lines of their own');
    (s.out as { columns: number }).columns = 40;
    h.append(tick(1500));
    const narrow = s.text().split('\r').at(-1)!.slice('\u001b[2K'.length);
    t.equal(narrow.length, 39);
    t.ok(narrow.endsWith('…'));
    detach();
  },
);
