import { PassThrough } from 'node:stream';
import t from 'tap';
import { attachProgress } from '../../../harness/cli/progress.ts';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import { load, proc } from '../../helpers/history.ts';

const writer = () =>
  new HistoryWriter({
    version: 1,
    suite: 's',
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

t.test('on a terminal: one line rewritten in place with rate, p99, errors, fds and faults', async (t) => {
  const h = writer();
  const s = stream(true);
  const detach = attachProgress(h, s.out);
  h.append({ t: 100, kind: 'phase', phase: 'load' });
  h.append({ t: 500, kind: 'sample', source: 'target', processes: [proc(1, { socket: 7, pipe: 2 })] });
  h.append({
    t: 600,
    kind: 'fault',
    type: 'inject',
    id: 'recycle#0',
    fault: 'recycle',
    label: 'overlapped recycle of /orders',
  });
  h.append(load(1000, { ok: 48, failed: { timeout: 2 }, ms: 12 }));
  h.append({ t: 1000, kind: 'sample', source: 'generator', lagP99Ms: 1, lagMaxMs: 2, cpuPercent: 5 });
  detach();
  const last = s.text().split('\r').at(-1)!;
  t.match(
    last,
    /load\s+50\.0 sessions\/s\s+p99 12\.\d+ms\s+errors 2 \(4\.0%\)\s+fds 9\s+faults: overlapped recycle of \/orders/,
  );
  t.notMatch(s.text().replace(/\n$/, ''), /\n/, 'no new lines until detached');
});

t.test('not on a terminal: plain lines at phases and every few seconds', async (t) => {
  const h = writer();
  const s = stream(false);
  const detach = attachProgress(h, s.out);
  h.append({ t: 100, kind: 'phase', phase: 'load' });
  for (let x = 1000; x <= 12000; x += 1000) {
    h.append(load(x, { ok: 10 }));
    h.append({ t: x, kind: 'sample', source: 'generator', lagP99Ms: 1, lagMaxMs: 2, cpuPercent: 5 });
  }
  detach();
  const lines = s.text().trim().split('\n');
  t.ok(lines.length >= 3 && lines.length <= 5, `${lines.length} lines`);
  t.notMatch(s.text(), /\r/);
});
