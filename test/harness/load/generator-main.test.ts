import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { decodeFromGenerator, GENERATOR_PROTOCOL } from '../../../harness/load/generator-protocol.ts';

const MAIN = fileURLToPath(new URL('../../../harness/load/generator-main.ts', import.meta.url));

t.test('the generator process says hello on stdout and exits 0 when its stdin closes', async (t) => {
  const child = spawn(process.execPath, [MAIN], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  t.match(decodeFromGenerator(line), { type: 'hello', protocol: GENERATOR_PROTOCOL, pid: child.pid });
  child.stdin.end();
  const [code] = (await once(child, 'exit')) as [number];
  t.equal(code, 0);
});
