import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/cli.ts';
import { checkPair, SHORT } from './pair.ts';

t.test('kb3017663-overlapped-recycle: the defect reproduces and the fix holds', (t) =>
  checkPair(t, 'kb3017663-overlapped-recycle', {
    defect: ['listener.responsive', 'sessions.errorRate'],
    workaround: [],
    fixed: [],
  }),
);

t.test('told to expect pass, the defect run exits 1, naming the check that failed and why', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'nettcp-chaos-pairs-'));
  const text = await readFile('suites/kb3017663-overlapped-recycle.yaml', 'utf8');
  const file = join(dir, 'kb.yaml');
  // Only the defect run, and it claims the defect is gone.
  await writeFile(file, text.replace(/^expect: .*$/m, 'expect: pass').replace(/^variants:[\s\S]*$/m, ''));
  const r = await runCli(['run', file, '--duration', SHORT, '--out', join(dir, 'out')], { timeout: 60_000 });
  t.equal(r.exitCode, 1);
  const out = String(r.stdout);
  t.match(out, /did NOT meet its expectation \(expect pass/);
  t.match(
    out,
    /FAIL listener\.responsive: The listener did not complete a new session for [\d.]+s .* It began around overlapped recycle of \/orders\./,
  );
});
