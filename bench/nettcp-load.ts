// The project's own client (clients/nettcp + protocol/soap) driven the way `InteropClient load` drives the
// .NET one, in a process of its own so that its CPU time is its own: lanes of sessions (open, K Echo calls,
// End; or --persistent: one session per lane, calls back to back) for a while, after an unreported warm-up.
// --pooled keeps a cleanly ended session's connection for the next session (clients/nettcp's
// ConnectionPool), as the .NET client does by default. Prints one JSON summary line shaped like the .NET
// client's; its CPU time is read from /proc/self/stat. Not a test; bench/dotnet-client.ts runs it:
//   node bench/nettcp-load.ts URL [--via VIA] --lanes N --duration-ms D [--calls K] [--persistent]
//     [--pooled] [--warmup-ms W] [--text hello]

import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import hdr from 'hdr-histogram-js';
import {
  ConnectionPool,
  type Failure,
  type NetTcpTarget,
  openSession,
  resolveNetTcpUrl,
} from '../clients/nettcp/index.ts';
import { CLOCK_TICKS_PER_SECOND, parseStat } from '../model/proc-stat.ts';
import { createSoapCodec, RepeatedRequests, type SoapCall } from '../protocol/index.ts';

const { values, positionals } = parseArgs({
  options: {
    via: { type: 'string' },
    lanes: { type: 'string', default: '1' },
    'duration-ms': { type: 'string', default: '2000' },
    calls: { type: 'string', default: '1' },
    persistent: { type: 'boolean', default: false },
    pooled: { type: 'boolean', default: false },
    'warmup-ms': { type: 'string', default: '0' },
    text: { type: 'string', default: 'hello' },
  },
  allowPositionals: true,
});
const url = positionals[0];
const lanes = Number(values.lanes);
const durationMs = Number(values['duration-ms']);
const callsPerSession = Number(values.calls);
const warmupMs = Number(values['warmup-ms']);
if (
  url === undefined ||
  ![lanes, durationMs].every((n) => Number.isInteger(n) && n > 0) ||
  ![callsPerSession, warmupMs].every((n) => Number.isInteger(n) && n >= 0)
) {
  process.stderr.write(
    'usage: nettcp-load.ts URL [--via VIA] --lanes N --duration-ms D [--calls K] [--persistent] [--pooled] [--warmup-ms W] [--text T]\n',
  );
  process.exit(2);
}
const text = values.text;
const target: NetTcpTarget = await resolveNetTcpUrl(values.via ?? url);
const pool = values.pooled ? new ConnectionPool() : undefined;
// One call, encoded once and copied with a fresh MessageID (the client's way of sending a load).
const call: SoapCall = { operation: 'Echo', params: { text } };
const repeat = new RepeatedRequests();

// This process's CPU time (user + system), in ms, as the kernel accounts it.
const cpuMs = (): number => {
  const s = parseStat(readFileSync('/proc/self/stat', 'utf8'));
  return s === undefined ? Number.NaN : ((s.utime + s.stime) * 1000) / CLOCK_TICKS_PER_SECOND;
};

// What one stretch of the run saw; times in microseconds.
type Tally = {
  sessionsOk: number;
  sessionsFailed: number;
  byType: Record<string, number>;
  callsOk: number;
  callsFailed: number;
  sessionUs: hdr.Histogram;
  callUs: hdr.Histogram;
};
const histogram = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
const newTally = (): Tally => ({
  sessionsOk: 0,
  sessionsFailed: 0,
  byType: {},
  callsOk: 0,
  callsFailed: 0,
  sessionUs: histogram(),
  callUs: histogram(),
});
const us = (since: number) => Math.max(1, Math.round((performance.now() - since) * 1000));
const failed = (tally: Tally, f: Failure | string): void => {
  const type = typeof f === 'string' ? f : `${f.kind}@${f.stage}`;
  tally.sessionsFailed++;
  tally.byType[type] = (tally.byType[type] ?? 0) + 1;
};

// One session: open, up to `maxCalls` Echo calls while `more()` holds, End. Returns the calls it tried.
const session = async (tally: Tally, maxCalls: number, more: () => boolean): Promise<number> => {
  const t0 = performance.now();
  // Each session has its own codec: the binary session encoding's string table lives as long as the session.
  const codec = createSoapCodec({ encoding: 'binary-session', to: url, contract: 'IInteropService', repeat });
  const opened = await openSession(target, {
    encoding: codec.knownEncoding,
    correlate: codec.correlator,
    pool,
  });
  if (!opened.ok) {
    failed(tally, opened.failure);
    return 1;
  }
  const s = opened.session;
  let tried = 0;
  for (; tried < maxCalls && more(); tried++) {
    const c0 = performance.now();
    const r = await s.call(codec.encodeRequest(call));
    if (!r.ok) {
      tally.callsFailed++;
      failed(tally, r.failure);
      s.abort();
      return tried + 1;
    }
    const reply = codec.decodeReply(r.reply);
    if (reply.kind !== 'reply' || reply.result !== text) {
      tally.callsFailed++;
      failed(tally, 'unexpected-reply');
      s.abort();
      return tried + 1;
    }
    tally.callsOk++;
    tally.callUs.recordValue(us(c0));
  }
  const ended = await s.end();
  if (!ended.ok) {
    failed(tally, ended.failure);
    return tried;
  }
  tally.sessionsOk++;
  tally.sessionUs.recordValue(us(t0));
  return tried;
};

// Runs the lanes for `ms`; a persistent lane replaces a failed session (a failed open counts as a call).
const phase = async (ms: number): Promise<Tally> => {
  const tally = newTally();
  const until = performance.now() + ms;
  const more = () => performance.now() < until;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (more()) {
        if (values.persistent) await session(tally, Number.MAX_SAFE_INTEGER, more);
        else await session(tally, callsPerSession, () => true);
      }
    }),
  );
  return tally;
};

if (warmupMs > 0) await phase(warmupMs);
const cpu0 = cpuMs();
const t0 = performance.now();
const tally = await phase(durationMs);
const wallMs = performance.now() - t0;
const cpu = cpuMs() - cpu0;
pool?.close();
const spread = (h: hdr.Histogram) => ({
  p50: h.getValueAtPercentile(50) / 1000,
  p99: h.getValueAtPercentile(99) / 1000,
  max: h.maxValue / 1000,
  n: h.totalCount,
});
process.stdout.write(
  `${JSON.stringify({
    summary: true,
    client: 'nettcp-chaos',
    mode: values.persistent ? 'persistent' : 'churn',
    pooled: pool !== undefined,
    lanes,
    callsPerSession: values.persistent ? null : callsPerSession,
    sessions: { ok: tally.sessionsOk, failed: tally.sessionsFailed, byType: tally.byType },
    calls: { ok: tally.callsOk, failed: tally.callsFailed },
    warmupMs,
    wallMs,
    sessionsPerSec: tally.sessionsOk / (wallMs / 1000),
    callsPerSec: tally.callsOk / (wallMs / 1000),
    sessionMs: spread(tally.sessionUs),
    callMs: spread(tally.callUs),
    cpuMs: cpu,
    ...(pool === undefined ? {} : { pool: pool.counts }),
    pid: process.pid,
  })}\n`,
);
