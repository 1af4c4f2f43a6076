// Debian's prometheus-process-exporter and prometheus for tests, each on a free loopback port with its
// own config and data folder, stopped by pid at teardown; and the op-framing fixture service, started
// outside the harness as a remote target would be.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { freePort } from '../../harness/target/free-port.ts';

const OPS_SERVER = fileURLToPath(new URL('../fixtures/programs/ops-server.ts', import.meta.url));

// Stops a child by its pid (SIGTERM, then SIGKILL after 5s) and waits for it to exit.
const stopChild = (p: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null || p.pid === undefined) return resolve();
    const kill = setTimeout(() => process.kill(p.pid!, 'SIGKILL'), 5000);
    p.once('exit', () => (clearTimeout(kill), resolve()));
    process.kill(p.pid, 'SIGTERM');
  });

// Polls until `ok` holds (at most `ms`).
const until = async (ok: () => Promise<boolean>, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
};

const started = (t: Test, argv: string[], what: string): ChildProcess => {
  const p = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  p.on('error', (e) => t.fail(`${what} did not start: ${e.message} (does .ci/run install it?)`));
  t.teardown(() => stopChild(p));
  return p;
};

// The fixture service in a mode, named by `tag` for the exporter; resolves with its pid and URL.
export const startOpsServer = async (
  t: Test,
  mode: 'clean' | 'leak' | 'lazy' | 'leak-every-20',
  tag: string,
): Promise<{ pid: number; url: string }> => {
  const p = started(t, [process.execPath, OPS_SERVER, mode, '0', `--tag=${tag}`], 'the fixture service');
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    p.once('exit', (code) => reject(new Error(`the fixture service exited (${code})`)));
  });
  return { pid: p.pid!, url: `net.tcp://127.0.0.1:${port}/` };
};

// process-exporter selecting processes whose command line holds --tag=NAME, in group NAME.
export const startProcessExporter = async (t: Test): Promise<{ url: string; pid: number }> => {
  const dir = await mkdtemp(join(tmpdir(), 'process-exporter-'));
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      'process_names:',
      '  - name: "{{.Matches.tag}}"',
      '    cmdline:',
      "    - '--tag=(?P<tag>\\S+)'",
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/metrics`;
  const p = started(
    t,
    [
      'prometheus-process-exporter',
      `-config.path=${config}`,
      `-web.listen-address=127.0.0.1:${port}`,
      '-gather-smaps=false',
      '-threads=false',
    ],
    'prometheus-process-exporter',
  );
  if (!(await until(async () => (await fetch(url)).ok, 15_000)))
    throw new Error('process-exporter never answered');
  return { url, pid: p.pid! };
};

// A Prometheus server scraping `target` (host:port) every 500ms, its data in a folder of its own.
export const startPrometheus = async (t: Test, target: string): Promise<{ url: string; pid: number }> => {
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global: { scrape_interval: 500ms, scrape_timeout: 500ms, evaluation_interval: 10s }',
      'scrape_configs:',
      '  - job_name: processes',
      `    static_configs: [{ targets: ['${target}'] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = started(
    t,
    [
      'prometheus',
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    'prometheus',
  );
  const up = await until(async () => {
    const r = (await (await fetch(`${url}/api/v1/query?query=up`)).json()) as {
      data?: { result?: { value?: [number, string] }[] };
    };
    return r.data?.result?.[0]?.value?.[1] === '1';
  }, 30_000);
  if (!up) throw new Error('prometheus never scraped its target');
  return { url, pid: p.pid! };
};
