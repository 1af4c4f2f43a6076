// Reading processes from /proc: stat, fds by kind, sockets by TCP state, the process tree.
// Hand-written: the npm /proc readers (pidusage, ps-list) give CPU and memory but not fds or socket
// states, which are what a leak check needs.

import { readlinkSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { parseStat, type ProcStat } from '../../model/proc-stat.ts';

export { CLOCK_TICKS_PER_SECOND, parseStat, type ProcStat } from '../../model/proc-stat.ts';

// TCP states of /proc/net/tcp, by their hex code.
export const TCP_STATES: Readonly<Record<string, string>> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
};

export type TcpSocket = { inode: number; state: string; local: string; remote: string };

// Decodes a /proc/net/tcp{,6} address (hex IP in host byte order per 32-bit word, hex port).
const decodeAddress = (hex: string): string => {
  const [ip = '', port = ''] = hex.split(':');
  const p = parseInt(port, 16);
  if (ip.length === 8) {
    const b = Buffer.from(ip, 'hex').reverse();
    return `${[...b].join('.')}:${p}`;
  }
  if (ip.length === 32) {
    const words = ip.match(/.{8}/g)!.map((w) => Buffer.from(w, 'hex').reverse().toString('hex'));
    const groups = words
      .join('')
      .match(/.{4}/g)!
      .map((g) => g.replace(/^0+(?=.)/, ''));
    return `[${groups.join(':')}]:${p}`;
  }
  return `${hex}`;
};

// Parses /proc/net/tcp or tcp6 into sockets by inode. Lines that do not parse are skipped.
export const parseNetTcp = (text: string): TcpSocket[] => {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const state = TCP_STATES[f[3]!.toUpperCase()];
    const inode = Number(f[9]);
    if (state === undefined || !Number.isInteger(inode) || inode <= 0) continue;
    out.push({ inode, state, local: decodeAddress(f[1]!), remote: decodeAddress(f[2]!) });
  }
  return out;
};

// One line of /proc/net/tcp{,6}: sl, local, remote, state (group 1), tx:rx, tr:when, retrnsmt, uid, timeout,
// inode (group 2). One regular-expression match per line, without decoding the addresses: a target with
// ten thousand sockets makes the table ten thousand lines long every reading.
const TCP_LINE =
  /^[^\S\n]*\d+:[^\S\n]+\S+[^\S\n]+\S+[^\S\n]+([0-9A-Fa-f]{2})[^\S\n]+\S+[^\S\n]+\S+[^\S\n]+\S+[^\S\n]+\S+[^\S\n]+\S+[^\S\n]+(\d+)/;

// TCP states by inode from /proc/net/tcp{,6} text, only for the inodes asked for, into `into`. `from` and
// `lines` read a slice (at most `lines` lines from offset `from`); it returns where the next slice starts,
// or -1 at the end.
export const parseTcpStates = (
  text: string,
  inodes: ReadonlySet<number>,
  into: Map<number, string>,
  from = 0,
  lines = Infinity,
): number => {
  const re = new RegExp(TCP_LINE.source, 'gm');
  re.lastIndex = from;
  for (let n = 0; n < lines; n++) {
    const m = re.exec(text);
    if (m === null) return -1;
    const inode = Number(m[2]);
    const state = TCP_STATES[m[1]!.toUpperCase()];
    if (state !== undefined && inodes.has(inode)) into.set(inode, state);
  }
  return re.lastIndex;
};

// How many /proc/net/tcp lines are read in one turn of the event loop (a few milliseconds' worth).
const TCP_LINES_PER_TURN = 2048;

// Socket inodes of Unix-domain sockets (/proc/net/unix), so non-TCP sockets can be named.
export const parseNetUnix = (text: string): Set<number> => {
  const out = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const inode = Number(line.trim().split(/\s+/)[6]);
    if (Number.isInteger(inode) && inode > 0) out.add(inode);
  }
  return out;
};

export type FdKinds = {
  socket: number;
  pipe: number;
  file: number;
  other: number;
  total: number;
  socketInodes: number[];
  // Each fd's link target (socket:[N], pipe:[N], a path, anon_inode:[eventpoll]), in fd order.
  links: string[];
};

// Classifies fd link targets: socket:[N], pipe:[N], a path, or anything else (anon_inode:..., /dev/...).
export const classifyFds = (links: readonly string[]): FdKinds => {
  const k: FdKinds = {
    socket: 0,
    pipe: 0,
    file: 0,
    other: 0,
    total: links.length,
    socketInodes: [],
    links: [...links],
  };
  for (const l of links) {
    const sock = /^socket:\[(\d+)\]$/.exec(l);
    if (sock !== null) {
      k.socket++;
      k.socketInodes.push(Number(sock[1]));
    } else if (l.startsWith('pipe:[')) k.pipe++;
    else if (l.startsWith('/') && !l.startsWith('/dev/')) k.file++;
    else k.other++;
  }
  return k;
};

const missing = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES';
};

// fd targets counted by what they point at: paths and other targets as they are, sockets as
// `socket:STATE` (its TCP state, UNIX or OTHER), pipes as `pipe`, so two readings compare by target.
export const countTargets = (
  links: readonly string[],
  stateOf: (inode: number) => string,
): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of links) {
    const sock = /^socket:\[(\d+)\]$/.exec(l);
    const key = sock !== null ? `socket:${stateOf(Number(sock[1]))}` : l.startsWith('pipe:[') ? 'pipe' : l;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

// /proc/PID/stat, or undefined when the process is gone.
export const readStat = async (pid: number): Promise<ProcStat | undefined> => {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (e) {
    if (missing(e)) return undefined;
    throw e;
  }
};

// fds of a process by kind; undefined when the process is gone. fds closing meanwhile are skipped.
export const readFds = async (pid: number): Promise<FdKinds | undefined> => {
  let names: string[];
  try {
    names = await readdir(`/proc/${pid}/fd`);
  } catch (e) {
    if (missing(e)) return undefined;
    throw e;
  }
  // /proc links read synchronously in slices of FDS_PER_TURN: a promise and a thread-pool hop per fd cost
  // several times the readlink itself, and a target with ten thousand fds is read every interval.
  const links: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (i > 0 && i % FDS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
    try {
      links.push(readlinkSync(`/proc/${pid}/fd/${names[i]}`));
    } catch {
      // the fd closed meanwhile
    }
  }
  return classifyFds(links);
};

// Longer command lines are cut here: a report shows what the process is, not every argument.
const CMDLINE_MAX = 400;

// A /proc/PID/cmdline (arguments ending in NUL) as a shell would show it: arguments that hold spaces or
// quotes are quoted; cut at CMDLINE_MAX characters. Empty for a kernel thread or a zombie.
export const parseCmdline = (raw: string): string => {
  const args = raw.split('\0');
  if (args.at(-1) === '') args.pop();
  const text = args
    .map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(' ');
  return text.length > CMDLINE_MAX ? `${text.slice(0, CMDLINE_MAX - 1)}…` : text;
};

// The command line of a process, or undefined when it is gone or has none.
export const readCmdline = async (pid: number): Promise<string | undefined> => {
  try {
    const text = parseCmdline(await readFile(`/proc/${pid}/cmdline`, 'utf8'));
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
};
const FDS_PER_TURN = 512;

// Resident memory in bytes (VmRSS of /proc/PID/status), 0 when unknown.
export const readRss = async (pid: number): Promise<number> => {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
};

// Every TCP socket of this network namespace, by inode.
export const readTcpSockets = async (): Promise<Map<number, TcpSocket>> => {
  const out = new Map<number, TcpSocket>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(f, 'utf8').catch(() => '');
    for (const s of parseNetTcp(text)) out.set(s.inode, s);
  }
  return out;
};

// The TCP states of the given socket inodes (those of this network namespace that are TCP sockets).
export const readTcpStates = async (inodes: ReadonlySet<number>): Promise<Map<number, string>> => {
  const out = new Map<number, string>();
  if (inodes.size === 0) return out;
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(f, 'utf8').catch(() => '');
    // Tens of thousands of lines (a target's sockets and the load's): a slice per turn of the event loop.
    for (let at = parseTcpStates(text, inodes, out, 0, TCP_LINES_PER_TURN); at >= 0;) {
      await new Promise((r) => setImmediate(r));
      at = parseTcpStates(text, inodes, out, at, TCP_LINES_PER_TURN);
    }
  }
  return out;
};

export const readUnixInodes = async (): Promise<Set<number>> =>
  parseNetUnix(await readFile('/proc/net/unix', 'utf8').catch(() => ''));

// Every process (pid, ppid) on the machine.
export const readAllStats = async (): Promise<ProcStat[]> => {
  const names = await readdir('/proc');
  const stats = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map((n) => readStat(Number(n))));
  return stats.filter((s): s is ProcStat => s !== undefined);
};

// A process and all its descendants, root first.
export const descendants = (root: number, stats: readonly ProcStat[]): ProcStat[] => {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid);
    if (list === undefined) children.set(s.ppid, [s]);
    else list.push(s);
  }
  const rootStat = stats.find((s) => s.pid === root);
  if (rootStat === undefined) return [];
  const out: ProcStat[] = [rootStat];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!.pid) ?? []));
  return out;
};
