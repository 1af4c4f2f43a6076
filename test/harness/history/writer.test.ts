import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { HistoryWriter } from '../../../harness/history/writer.ts';
import type { HistoryEvent, OpEvent } from '../../../model/history.ts';

const meta = {
  version: 2 as const,
  suite: 's',
  file: 's.yaml',
  text: 'name: s',
  seed: 1,
  startedAt: '2026-12-02T00:00:00Z',
  tool: { name: 'nettcp-chaos', version: '0', node: 'v24', platform: 'linux' },
};

const op = (session: number, type: OpEvent['type']): OpEvent => ({
  t: session,
  kind: 'op',
  type,
  load: 'l',
  session,
  intended: 0,
  start: 0,
  ms: 1,
  uncorrectedMs: 1,
  calls: 1,
  ...(type === 'fail' ? { failure: { kind: 'reset', stage: 'connect' } } : {}),
});

t.test(
  'a session that succeeded reaches the listeners only; failed and cut-off ones are written',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'history-writer-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.ndjson');
    const h = new HistoryWriter(meta, file);
    const heard: HistoryEvent[] = [];
    h.subscribe((e) => heard.push(e));
    h.append(op(1, 'ok'));
    h.append(op(2, 'fail'));
    h.append(op(3, 'info'));
    h.append(op(4, 'ok'));
    await h.close();
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HistoryEvent);
    t.same(
      lines.map((e) => (e.kind === 'op' ? [e.session, e.type] : e.kind)),
      ['meta', [2, 'fail'], [3, 'info']],
    );
    t.same(
      h.history.events.map((e) => (e.kind === 'op' ? e.session : e.kind)),
      ['meta', 2, 3],
    );
    t.same(
      heard.map((e) => (e.kind === 'op' ? e.session : e.kind)),
      [1, 2, 3, 4],
      'the progress display still hears every session',
    );
  },
);
