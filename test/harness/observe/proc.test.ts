import fc from 'fast-check';
import { createServer, connect } from 'node:net';
import t from 'tap';
import {
  classifyFds,
  countTargets,
  descendants,
  parseNetTcp,
  parseCmdline,
  parseStat,
  parseTcpStates,
  readAllStats,
  readCmdline,
  readFds,
  readStat,
  readTcpSockets,
  readTcpStates,
} from '../../../harness/observe/proc.ts';

const STAT =
  '1234 (node (worker) 1) S 1200 1234 1200 0 -1 4194560 2000 0 0 0 150 42 0 0 20 0 11 0 98765 1000000 5000 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';

t.test('stat lines parse, even with spaces and parentheses in comm', async (t) => {
  t.match(parseStat(STAT), {
    pid: 1234,
    comm: 'node (worker) 1',
    state: 'S',
    ppid: 1200,
    pgrp: 1234,
    utime: 150,
    stime: 42,
    starttime: 98765,
  });
  t.equal(parseStat('garbage'), undefined);
  t.equal(parseStat('12 (x) S'), undefined, 'too few fields');
});

t.test('stat parsing never throws on arbitrary text', async (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const r = parseStat(s);
      return r === undefined || Number.isInteger(r.pid);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(
      fc.string({ maxLength: 40 }),
      // A replacer function: a string replacement would read `$$` in comm as a pattern.
      (comm) => parseStat(STAT.replace('node (worker) 1', () => comm))?.comm === comm,
    ),
  );
  t.pass();
});

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 08 00000000:00000000 00:00000000 00000000     0        0 22222 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00000123 00000000     0        0 0 3 0000000000000000
`;

t.test('/proc/net/tcp lines parse into sockets by inode with their state', async (t) => {
  t.same(parseNetTcp(TCP), [
    { inode: 11111, state: 'LISTEN', local: '127.0.0.1:8080', remote: '0.0.0.0:0' },
    { inode: 22222, state: 'CLOSE_WAIT', local: '127.0.0.1:8080', remote: '127.0.0.1:50000' },
  ]);
  const v6 =
    '  sl  local_address                         remote_address                        st\n' +
    '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 33333 1\n';
  t.same(parseNetTcp(v6), [
    { inode: 33333, state: 'LISTEN', local: '[0:0:0:0:0:0:0:1]:8080', remote: '[0:0:0:0:0:0:0:0]:0' },
  ]);
});

t.test('/proc/net/tcp parsing never throws and never invents sockets', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 120 }), { maxLength: 8 }), (lines) => {
      const r = parseNetTcp(['header', ...lines].join('\n'));
      return r.every((s) => s.inode > 0 && typeof s.state === 'string');
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

t.test('the TCP states of the inodes asked for, as the full parse reads them', async (t) => {
  const found = new Map<number, string>();
  t.equal(parseTcpStates(TCP, new Set([22222, 99]), found), -1, 'read to the end');
  t.same([...found], [[22222, 'CLOSE_WAIT']]);
  // Read a line at a time, the table gives the same.
  const sliced = new Map<number, string>();
  let slices = 0;
  for (let at = 0; at >= 0; slices++) at = parseTcpStates(TCP, new Set([11111, 22222]), sliced, at, 1);
  t.same(
    [...sliced],
    [
      [11111, 'LISTEN'],
      [22222, 'CLOSE_WAIT'],
    ],
  );
  t.equal(slices, 4, 'three lines, then the end');
  // Lines of sockets, their fields spaced as the kernel pads them, with noise between.
  const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
  const line = fc
    .record({
      sl: fc.nat(99_999),
      state: fc.integer({ min: 1, max: 12 }),
      inode: fc.nat(2 ** 31),
      pad: fc.integer({ min: 1, max: 4 }),
    })
    .map(
      ({ sl, state, inode, pad }) =>
        `${String(sl).padStart(4)}: 0100007F:${hex(sl % 65536, 4)} 0100007F:1F90 ${hex(state, 2)} 00000000:00000000 00:00000000 00000000${' '.repeat(pad)}0        0 ${inode} 1 0000000000000000 20 4 30 10 -1`,
    );
  fc.assert(
    fc.property(fc.array(fc.oneof(line, fc.string({ maxLength: 120 })), { maxLength: 12 }), (lines) => {
      const text = ['header', ...lines].join('\n');
      const full = parseNetTcp(text);
      const asked = new Set(full.map((s) => s.inode));
      const states = new Map<number, string>();
      parseTcpStates(text, asked, states);
      return (
        full.every((s) => states.get(s.inode) !== undefined) && [...states.keys()].every((i) => asked.has(i))
      );
    }),
    { numRuns: 1000 },
  );
});

t.test('fd links are classified by kind', async (t) => {
  t.same(
    classifyFds(['socket:[5]', 'pipe:[6]', '/tmp/x', '/dev/null', 'anon_inode:[eventpoll]', 'socket:[7]']),
    {
      socket: 2,
      pipe: 1,
      file: 1,
      other: 2,
      total: 6,
      socketInodes: [5, 7],
      links: ['socket:[5]', 'pipe:[6]', '/tmp/x', '/dev/null', 'anon_inode:[eventpoll]', 'socket:[7]'],
    },
  );
});

t.test('fd targets are counted by what they point at, sockets by TCP state and pipes together', async (t) => {
  const states: Record<number, string> = { 5: 'CLOSE_WAIT', 7: 'CLOSE_WAIT', 9: 'LISTEN' };
  t.same(
    countTargets(
      ['socket:[5]', 'pipe:[6]', 'pipe:[8]', '/tmp/x', '/tmp/x', 'socket:[7]', 'socket:[9]'],
      (inode) => states[inode] ?? 'OTHER',
    ),
    { 'socket:CLOSE_WAIT': 2, pipe: 2, '/tmp/x': 2, 'socket:LISTEN': 1 },
  );
});

t.test('this process: its sockets show up with their TCP state', async (t) => {
  const server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const before = (await readFds(process.pid))!;
  // allowHalfOpen: Node would otherwise close our side as soon as the server's FIN arrives.
  const client = connect({
    port: (server.address() as { port: number }).port,
    host: '127.0.0.1',
    allowHalfOpen: true,
  });
  await new Promise((r) => client.once('connect', r));
  // The server ended its side; our client socket now sits in CLOSE_WAIT until we close it.
  await new Promise((r) => client.once('end', r));
  await new Promise((r) => setTimeout(r, 20));
  const after = (await readFds(process.pid))!;
  t.ok(after.socket >= before.socket + 1, 'one more socket fd');
  const tcp = await readTcpSockets();
  const states = after.socketInodes.map((i) => tcp.get(i)?.state).filter(Boolean);
  t.ok(states.includes('CLOSE_WAIT'), `a socket in CLOSE_WAIT among ${states.join(', ')}`);
  t.ok(states.includes('LISTEN'));
  const own = await readTcpStates(new Set(after.socketInodes));
  t.same([...own.values()].sort(), (states as string[]).sort(), 'the same states for our own sockets');
  client.destroy();
});

t.test('the process tree of this process includes a child it spawns', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn('sleep', ['5']);
  t.teardown(() => child.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 50));
  const tree = descendants(process.pid, await readAllStats());
  t.equal(tree[0]?.pid, process.pid);
  t.ok(tree.some((s) => s.pid === child.pid));
  t.equal(await readStat(2 ** 22 + 12345), undefined, 'a pid that does not exist');
  t.equal(await readFds(2 ** 22 + 12345), undefined);
});

t.test('a command line reads as a shell would show it, quoted where it must be, cut when long', async (t) => {
  t.equal(parseCmdline('node\0host/main.ts\0--port\x000\0'), 'node host/main.ts --port 0');
  t.equal(parseCmdline("sh\0-c\0echo 'hi' there\0"), "sh -c 'echo '\\''hi'\\'' there'");
  t.equal(parseCmdline('a\0\0b\0'), "a '' b", 'an empty argument stays visible');
  t.equal(parseCmdline(''), '', 'a kernel thread has none');
  const long = parseCmdline(`${'x'.repeat(1000)}\0`);
  t.equal(long.length, 400);
  t.ok(long.endsWith('…'));
});

t.test('command-line parsing never throws, and shows every short argument', async () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (args) => {
      const text = parseCmdline(args.map((a) => `${a.replace(/\0/g, '')}\0`).join(''));
      return text.length <= 400 && args.every((a) => a.includes("'") || text.includes(a.replace(/\0/g, '')));
    }),
    { numRuns: 1000 },
  );
});

t.test('this process’s own command line is read from /proc', async (t) => {
  const own = await readCmdline(process.pid);
  t.ok(own !== undefined && own.includes('proc.test.ts'), String(own));
  t.equal(await readCmdline(2 ** 22 + 1), undefined, 'a pid that does not exist has none');
});
