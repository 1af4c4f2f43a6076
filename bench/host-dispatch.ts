// bench/host-dispatch: new net.tcp sessions per second through the reference host (listener reads the
// preamble, hands the socket to the worker over IPC, the worker Acks) next to sessions opened straight
// on the same worker (its own listener, no hand-off), in one run; prints host/direct.
// Not a test: `npm run bench:host-dispatch [-- --seconds 2 --rounds 3 --concurrency 16 --calls 1]`.
// Rounds alternate between the two targets so machine noise hits both alike.

import { parseArgs } from 'node:util';
import hdr from 'hdr-histogram-js';
import { type NetTcpTarget, openSession, resolveNetTcpUrl } from '../clients/nettcp/index.ts';
import { spawnHost } from '../host/spawn.ts';
import { OPS_CONTENT_TYPE } from '../protocol/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    calls: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const calls = Number(values.calls);
const payload = Buffer.alloc(64, 0x5a);

type Tally = { sessions: number; failed: number; ms: number; openUs: hdr.Histogram };

// `concurrency` lanes, each opening a session, making its calls and ending it, until the time is up.
const drive = async (target: NetTcpTarget, tally: Tally): Promise<void> => {
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        // The compact op framing: a raw-rate bench, where SOAP's XML would cost more than the hand-off.
        const r = await openSession(target, { openTimeoutMs: 10_000, encoding: OPS_CONTENT_TYPE });
        if (!r.ok) {
          tally.failed++;
          continue;
        }
        tally.openUs.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        let ok = true;
        for (let i = 0; i < calls && ok; i++) ok = (await r.session.call(payload)).ok;
        ok = ok && (await r.session.end()).ok;
        if (ok) tally.sessions++;
        else tally.failed++;
      }
    }),
  );
  tally.ms += performance.now() - start;
};

const tally = (): Tally => ({
  sessions: 0,
  failed: 0,
  ms: 0,
  openUs: hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  }),
});

const sharing = {
  listenBacklog: 1024,
  maxPendingAccepts: 16,
  maxPendingConnections: 1000,
  receiveTimeoutMs: 10_000,
  dispatchTimeoutMs: 10_000,
};
const host = await spawnHost({
  sharing,
  services: [
    {
      path: '/bench',
      activation: { mode: 'startup' },
      throttle: { maxConcurrentSessions: 10_000, maxConcurrentCalls: 1000 },
    },
  ],
});
try {
  const { port: directPort } = await host.request<{ port: number }>({ command: 'direct', path: '/bench' });
  const viaHost = await resolveNetTcpUrl(host.url('/bench'));
  const direct = await resolveNetTcpUrl(`net.tcp://127.0.0.1:${directPort}/bench`);
  const through = tally();
  const straight = tally();
  // A short warm-up of each, not counted.
  await drive(viaHost, tally());
  await drive(direct, tally());
  for (let i = 0; i < rounds; i++) {
    await drive(viaHost, through);
    await drive(direct, straight);
  }
  const summary = (x: Tally) => ({
    perSecond: (x.sessions / x.ms) * 1000,
    sessions: x.sessions,
    failed: x.failed,
    openP99Ms: x.openUs.getValueAtPercentile(99) / 1000,
  });
  const viaHostSummary = summary(through);
  const directSummary = summary(straight);
  const result = {
    seconds,
    rounds,
    concurrency,
    calls,
    sharing,
    host: viaHostSummary,
    direct: directSummary,
    ratio: viaHostSummary.perSecond / directSummary.perSecond,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
    console.log(
      `host-dispatch: ${rounds} alternating rounds of ${seconds}s, ${concurrency} lanes, each session open + ${calls} call(s) of 64 bytes + end`,
    );
    console.log(
      `${'target'.padEnd(34)} ${'sessions/s'.padStart(10)} ${'failed'.padStart(7)} ${'open p99'.padStart(9)}`,
    );
    for (const [name, x] of [
      ['through the host (hand-off)', result.host],
      ['straight to the worker', result.direct],
    ] as const) {
      console.log(
        `${name.padEnd(34)} ${f(x.perSecond).padStart(10)} ${String(x.failed).padStart(7)} ${`${x.openP99Ms.toFixed(2)}ms`.padStart(9)}`,
      );
    }
    console.log(`ratio host/direct: ${result.ratio.toFixed(2)}`);
  }
} finally {
  await host.stop();
}
