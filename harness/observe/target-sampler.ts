// Samples the target's process tree: fds by kind, each socket's TCP state, RSS and CPU per process.

import type { ProcessSample } from '../../model/history.ts';
import {
  CLOCK_TICKS_PER_SECOND,
  countTargets,
  descendants,
  readAllStats,
  readCmdline,
  readFds,
  readRss,
  readTcpStates,
  readUnixInodes,
} from './proc.ts';

export class TargetSampler {
  readonly #root: () => number | undefined;
  readonly #role: (pid: number, isRoot: boolean) => string;
  // Last CPU ticks per pid (keyed with the start time, so a reused pid starts over).
  #last = new Map<string, { ticks: number; at: number }>();

  constructor(root: () => number | undefined, role: (pid: number, isRoot: boolean) => string) {
    this.#root = root;
    this.#role = role;
  }

  // The target's processes now, root first; empty when the target is not running. With `targets`, each
  // process's fd targets too (the baseline and final readings, so evidence names what grew).
  async sample(o: { targets?: boolean } = {}): Promise<ProcessSample[]> {
    const root = this.#root();
    if (root === undefined) return [];
    const tree = descendants(root, await readAllStats());
    const now = performance.now();
    const seen = new Set<string>();
    // The fds first: the TCP table is then read for the target's own sockets only. The command line
    // once per process, in the first reading that sees it (it does not change).
    const read = await Promise.all(
      tree.map(async (s) => ({
        s,
        fds: await readFds(s.pid),
        rssBytes: await readRss(s.pid),
        cmd: this.#last.has(`${s.pid}:${s.starttime}`) ? undefined : await readCmdline(s.pid),
      })),
    );
    const inodes = new Set(read.flatMap((r) => r.fds?.socketInodes ?? []));
    const [tcp, unix] = await Promise.all([readTcpStates(inodes), readUnixInodes()]);
    const out = read.map(({ s, fds, rssBytes, cmd }): ProcessSample | undefined => {
      if (fds === undefined) return undefined;
      const key = `${s.pid}:${s.starttime}`;
      seen.add(key);
      const ticks = s.utime + s.stime;
      const prev = this.#last.get(key);
      this.#last.set(key, { ticks, at: now });
      const cpuPercent =
        prev === undefined || now <= prev.at
          ? 0
          : ((ticks - prev.ticks) / CLOCK_TICKS_PER_SECOND / ((now - prev.at) / 1000)) * 100;
      const stateOf = (inode: number): string => tcp.get(inode) ?? (unix.has(inode) ? 'UNIX' : 'OTHER');
      const states: Record<string, number> = {};
      for (const inode of fds.socketInodes) {
        const state = stateOf(inode);
        states[state] = (states[state] ?? 0) + 1;
      }
      const { socketInodes: _, links, ...counts } = fds;
      return {
        pid: s.pid,
        ppid: s.ppid,
        comm: s.comm,
        ...(cmd === undefined ? {} : { cmd }),
        role: this.#role(s.pid, s.pid === root),
        fds: counts,
        tcp: states,
        rssBytes,
        cpuPercent: Math.max(0, cpuPercent),
        threads: s.threads,
        ...(o.targets === true ? { fdTargets: countTargets(links, stateOf) } : {}),
      };
    });
    for (const k of this.#last.keys()) if (!seen.has(k)) this.#last.delete(k);
    return out.filter((p): p is ProcessSample => p !== undefined);
  }
}
