// Reading history.ndjson back: version 1 histories (facts as log lines) read as version 2 events; a
// torn last line is dropped; a damaged or newer file is refused with its name.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { HistoryReadError, readHistory } from '../../../harness/history/read.ts';
import { outcomeOf, readyOf } from '../../../model/result.ts';

const meta = (version: number) => ({
  t: 0,
  kind: 'meta',
  version,
  suite: 's',
  file: 's.yaml',
  text: 'name: s\n',
  seed: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'nettcp-chaos', version: '0.1.0', node: 'v24', platform: 'linux-x64' },
});

const write = async (lines: unknown[], torn = ''): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-read-'));
  const file = join(dir, 'history.ndjson');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + torn);
  return file;
};

t.test('a version 1 history reads its ready and outcome log lines as typed events', async (t) => {
  const file = await write([
    meta(1),
    {
      t: 10,
      kind: 'log',
      level: 'info',
      source: 'harness',
      message: 'target ready after 42ms',
      data: { pid: 7, host: '127.0.0.1', port: 9 },
    },
    {
      t: 20,
      kind: 'log',
      level: 'info',
      source: 'target',
      message: 'target ready after 1ms (a line the target printed)',
    },
    {
      t: 30,
      kind: 'log',
      level: 'error',
      source: 'harness',
      message: 'run invalid',
      data: { outcome: 'invalid', exitCode: 4, invalidReason: 'never ready' },
    },
  ]);
  const h = await readHistory(file);
  t.match(readyOf(h), { t: 10, kind: 'ready', ms: 42, pid: 7, host: '127.0.0.1', port: 9 });
  t.match(outcomeOf(h), { t: 30, outcome: 'invalid', exitCode: 4, invalid: { message: 'never ready' } });
  t.equal(
    h.events.filter((e) => e.kind === 'log' && e.message.startsWith('run ')).length,
    0,
    'the outcome line becomes the outcome event',
  );
  t.equal(h.events.filter((e) => e.kind === 'ready').length, 1, "the target's own line stays a line");
});

t.test(
  'a version 2 history reads as written; ok ops stay on disk only; a torn last line is dropped',
  async (t) => {
    const file = await write(
      [
        meta(2),
        { t: 5, kind: 'ready', ms: 3 },
        {
          t: 6,
          kind: 'op',
          type: 'ok',
          load: 'l',
          session: 1,
          intended: 5,
          start: 5,
          ms: 1,
          uncorrectedMs: 1,
          calls: 1,
        },
        { t: 9, kind: 'outcome', outcome: 'met', exitCode: 0 },
      ],
      '{"t": 10, "kind": "pha',
    );
    const h = await readHistory(file);
    t.same(
      h.events.map((e) => e.kind),
      ['meta', 'ready', 'outcome'],
    );
  },
);

t.test('a damaged line before the end, or a newer version, is refused naming the file', async (t) => {
  const damaged = await write([meta(2)], 'not json\n{"t":1,"kind":"phase","phase":"load"}\n');
  await t.rejects(readHistory(damaged), new HistoryReadError(`${damaged}:2: not a JSON event`));
  const newer = await write([meta(3)]);
  await t.rejects(readHistory(newer), /history version 3 is newer than this nettcp-chaos reads \(2\)/);
});
