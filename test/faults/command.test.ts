import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { command } from '../../faults/command.ts';
import type { FaultContext } from '../../faults/types.ts';

const spec = (o: Record<string, unknown>) => command.schema.parse({ kind: 'command', at: '1s', ...o });

const context = (notes: Record<string, unknown>[]): FaultContext => ({
  target: {
    kind: 'remote',
    host: '127.0.0.1',
    port: 8808,
    urls: ['net.tcp://127.0.0.1:8808/svc'],
    pids: async () => [],
  },
  random: () => 0.5,
  note: (d) => notes.push(d),
  safeguard: () => () => {},
  signal: new AbortController().signal,
});

// A node one-liner that appends its arguments to a file.
const append = (file: string, ...words: string[]) => [
  process.execPath,
  '-e',
  'require("fs").appendFileSync(process.argv[1], process.argv.slice(2).join(" ") + "\\n")',
  file,
  ...words,
];

t.test(
  'runs the command with the target named in its arguments, then the heal command when it heals',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'command-fault-'));
    const file = join(dir, 'log');
    const notes: Record<string, unknown>[] = [];
    const ctx = context(notes);
    const s = spec({
      run: append(file, 'recycle', '{host}', '{port}', '{url}'),
      heal: append(file, 'start', '$HOME'),
      duration: '2s',
    });
    const active = await command.inject(s, ctx);
    t.equal(await readFile(file, 'utf8'), 'recycle 127.0.0.1 8808 net.tcp://127.0.0.1:8808/svc\n');
    await command.heal(active, ctx);
    t.equal(
      await readFile(file, 'utf8'),
      'recycle 127.0.0.1 8808 net.tcp://127.0.0.1:8808/svc\nstart $HOME\n',
      'no shell unless asked: $HOME is passed as it is',
    );
    t.match(notes, [{ exitCode: 0 }, { exitCode: 0, healedBy: active.heal }]);
    t.same(
      await command.recover(active),
      [`ran ${active.heal!.join(' ')}`],
      'a crashed run heals by the heal command',
    );
  },
);

t.test('with shell: true the command runs through a shell', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'command-fault-'));
  const file = join(dir, 'out');
  await command.inject(spec({ run: [`echo "$((2 + 3))" > ${file}`], shell: true }), context([]));
  t.equal(await readFile(file, 'utf8'), '5\n');
});

t.test('a command that exits non-zero is the fault’s error, with its code and output', async (t) => {
  const s = spec({ run: [process.execPath, '-e', 'console.error("appcmd: no such pool"); process.exit(3)'] });
  await t.rejects(command.inject(s, context([])), {
    code: 'FAULT_COMMAND',
    message: /exited with 3: appcmd: no such pool/,
  });
});

t.test('a heal command goes with a duration, and a duration with a heal command', async (t) => {
  t.notOk(command.schema.safeParse({ kind: 'command', at: '1s', run: ['x'], heal: ['y'] }).success);
  t.notOk(command.schema.safeParse({ kind: 'command', at: '1s', run: ['x'], duration: '1s' }).success);
  t.ok(command.schema.safeParse({ kind: 'command', at: '1s', run: ['x'] }).success);
});
