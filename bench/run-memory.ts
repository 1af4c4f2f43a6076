// What a run's processes hold, read from /proc while it runs: the harness (the command line's process),
// its watchdog and its generator processes, each by role, their RSS and PSS (RSS counts the pages of the
// node binary that every Node process maps once per process; PSS shares them out). The target is not the
// harness's: it is left out. Used by bench/idle-sessions.ts and bench/generator.ts.

import { readdir, readFile } from 'node:fs/promises';

export type Role = 'harness' | 'watchdog' | 'generator' | 'target';

type Proc = { pid: number; ppid: number; role: Role };

const roleOf = (cmdline: string, pid: number, root: number): Role =>
  pid === root
    ? 'harness'
    : cmdline.includes('watchdog-main.ts')
      ? 'watchdog'
      : cmdline.includes('generator-main.ts')
        ? 'generator'
        : 'target';

const read = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '');

// The harness's process tree now, by role.
const tree = async (root: number): Promise<Proc[]> => {
  const all: { pid: number; ppid: number }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await read(`/proc/${name}/stat`);
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 2 && rest[0] !== 'Z') all.push({ pid: Number(name), ppid: Number(rest[1]) });
  }
  const out: Proc[] = [];
  const walk = async (pid: number): Promise<void> => {
    const cmd = (await read(`/proc/${pid}/cmdline`)).replaceAll('\0', ' ');
    const role = roleOf(cmd, pid, root);
    out.push({ pid, ppid: 0, role });
    // A target's own children are the target's.
    if (role === 'target') return;
    for (const c of all.filter((p) => p.ppid === pid)) await walk(c.pid);
  };
  if (all.some((p) => p.pid === root)) await walk(root);
  return out;
};

const kb = (text: string, key: string): number =>
  Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;

export type Reading = { t: number; byRole: Record<Role, { rss: number; pss: number; count: number }> };

// One reading of the tree under `root`.
export const readMemory = async (root: number): Promise<Reading> => {
  const byRole: Reading['byRole'] = {
    harness: { rss: 0, pss: 0, count: 0 },
    watchdog: { rss: 0, pss: 0, count: 0 },
    generator: { rss: 0, pss: 0, count: 0 },
    target: { rss: 0, pss: 0, count: 0 },
  };
  for (const p of await tree(root)) {
    const status = await read(`/proc/${p.pid}/status`);
    const smaps = await read(`/proc/${p.pid}/smaps_rollup`);
    const r = byRole[p.role];
    r.rss += kb(status, 'VmRSS');
    r.pss += kb(smaps, 'Pss');
    r.count++;
  }
  return { t: performance.now(), byRole };
};

// The harness's own side (harness, watchdog, generators), RSS and PSS summed.
export const harnessSide = (r: Reading): { rss: number; pss: number } => {
  const roles = ['harness', 'watchdog', 'generator'] as const;
  return {
    rss: roles.reduce((n, k) => n + r.byRole[k].rss, 0),
    pss: roles.reduce((n, k) => n + r.byRole[k].pss, 0),
  };
};

// Reads every `everyMs` until stopped; keeps every reading.
export const watchMemory = (root: number, everyMs: number): { stop: () => Promise<Reading[]> } => {
  const readings: Reading[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await readMemory(root);
      if (r.byRole.harness.count > 0) readings.push(r);
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return readings;
    },
  };
};

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;
