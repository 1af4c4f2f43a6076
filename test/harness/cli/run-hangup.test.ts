import { execa } from 'execa';
import { access, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI } from '../../helpers/cli.ts';
import { PINNED_NODE, sessionMembers, stillAliveAfter, SYSTEM_NODE } from '../../helpers/process-group.ts';

const TERMINAL = 'test/fixtures/programs/terminal.py';
const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
const missing =
  python === undefined ? 'python3 (for a pseudo-terminal)' : !existsSync('/bin/bash') ? 'bash' : undefined;

// Closing the terminal sends SIGHUP, and from then on every write to it fails (EIO): the run must
// still heal, stop, and write its reports.
for (const node of [...(SYSTEM_NODE === undefined ? [] : [SYSTEM_NODE]), PINNED_NODE]) {
  t.test(
    `a run started from a terminal on ${node === PINNED_NODE ? 'the pinned Node' : node} stops gracefully when the terminal is closed`,
    { skip: missing === undefined ? false : `no ${missing} here` },
    async (t) => {
      const out = await mkdtemp(join(tmpdir(), 'nettcp-chaos-'));
      const state = await mkdtemp(join(tmpdir(), 'nettcp-chaos-state-'));
      const command = `NETTCP_CHAOS_STATE_DIR=${state} ${node} ${CLI} run test/fixtures/suites/long-program-pause.yaml --out ${out}`;
      const term = await execa(python!, [TERMINAL, command, '] load '], { timeout: 90_000 });
      const sid = Number(/^session (\d+)/.exec(term.stdout)?.[1]);
      t.ok(sid > 0, term.stdout);
      t.match(term.stdout, /\] load /, 'load was under way when the terminal closed');
      // Everything started from the terminal goes, the run once it has written its reports.
      const members = await sessionMembers(sid);
      t.same(await stillAliveAfter(members, 30_000), [], 'nothing started from the terminal is left');
      const dir = join(out, 'long-program-pause');
      for (const f of ['history.ndjson', 'report.html', 'report.json', 'junit.xml'])
        await access(join(dir, f));
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { outcome: unknown };
      t.match(report.outcome, { result: 'interrupted', exitCode: 3 });
      t.same(await readdir(join(state, 'journals')), [], 'the journal was closed and removed');
    },
  );
}
