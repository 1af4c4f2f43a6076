// `nettcp-chaos probe URL`: one net.tcp session, each stage shown with its timing, records and outcome.

import { parseArgs } from 'node:util';
import {
  describeFailure,
  type Failure,
  type NetTcpTarget,
  openSession,
  resolveNetTcpUrl,
  sameTimeouts,
} from '../../clients/nettcp/index.ts';
import { startEchoEndpoint } from '../../host/echo-endpoint.ts';
import { describeRecord, type FramingRecord } from '../../protocol/index.ts';
import { formatDuration } from '../../model/duration.ts';
import { durationFlag, HELP_FLAG, intFlag, parsedOrUsage, printUsage } from './flags.ts';
import { ExitCode, UsageError } from './usage.ts';

export const PROBE_USAGE = `usage: nettcp-chaos probe net.tcp://HOST:PORT/PATH [options]
       nettcp-chaos probe --echo [options]

Opens one net.tcp session, makes calls, ends it, and prints each stage.

  --calls N            calls to make after the preamble (default 1)
  --payload BYTES      bytes in each call's message (default 64)
  --timeout DURATION   deadline of each stage: connect, preamble, each call, end (default 5s)
  --encoding NAME      binary-session (default), soap12, soap11, binary, or a content type
  --json               print one JSON object instead of text
  --allow-remote       allow a target outside loopback
  --echo               start a built-in echo endpoint on loopback and probe it

Exit: 0 the session and its calls succeeded, 1 the server faulted, timed out or failed, 2 bad usage.`;

export type ProbeOptions = {
  url: string;
  calls: number;
  payload: number;
  timeoutMs: number;
  encoding?: string;
  allowRemote?: boolean;
};

export type StageReport = {
  stage: 'connect' | 'preamble' | 'call' | 'end';
  // 1-based call number, for call stages.
  call?: number;
  ms: number;
  ok: boolean;
  sent: string[];
  received: string[];
  failure?: Failure;
};

export type ProbeReport = {
  url: string;
  target: { ip: string; port: number; via: string };
  ok: boolean;
  stages: StageReport[];
  failure?: Failure & { message: string };
};

// A payload of `size` bytes, the same every run.
const payloadOf = (size: number): Buffer => {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
};

// Runs one probe session. Never throws for anything the server does.
export const probe = async (o: ProbeOptions, target?: NetTcpTarget): Promise<ProbeReport> => {
  const t = target ?? (await resolveNetTcpUrl(o.url, o.allowRemote));
  const stages: StageReport[] = [];
  let current: StageReport = { stage: 'preamble', ms: 0, ok: false, sent: [], received: [] };
  const trace = (dir: 'out' | 'in', r: FramingRecord) =>
    (dir === 'out' ? current.sent : current.received).push(describeRecord(r));
  const report = (failure?: Failure): ProbeReport => ({
    url: o.url,
    target: { ip: t.ip, port: t.port, via: t.via },
    ok: failure === undefined,
    stages,
    ...(failure === undefined ? {} : { failure: { ...failure, message: describeFailure(failure) } }),
  });

  const t0 = performance.now();
  const opened = await openSession(t, {
    encoding: o.encoding,
    ...sameTimeouts(o.timeoutMs),
    allowRemote: o.allowRemote,
    trace,
  });
  // A failed stage took from its start until the failure.
  const connectMs = opened.timings.connectMs;
  stages.push({
    stage: 'connect',
    ms: connectMs ?? performance.now() - t0,
    ok: connectMs !== undefined,
    sent: [],
    received: [],
  });
  if (connectMs !== undefined) {
    current.ms = opened.timings.preambleMs ?? performance.now() - t0 - connectMs;
    current.ok = opened.ok;
    stages.push(current);
  }
  if (!opened.ok) {
    stages.at(-1)!.failure = opened.failure;
    return report(opened.failure);
  }
  const session = opened.session;
  const payload = payloadOf(o.payload);
  for (let i = 1; i <= o.calls; i++) {
    current = { stage: 'call', call: i, ms: 0, ok: false, sent: [], received: [] };
    stages.push(current);
    const c = await session.call(payload);
    current.ms = c.ms;
    current.ok = c.ok;
    if (!c.ok) {
      current.failure = c.failure;
      session.abort();
      return report(c.failure);
    }
  }
  current = { stage: 'end', ms: 0, ok: false, sent: [], received: [] };
  stages.push(current);
  const e = await session.end();
  current.ms = e.ms;
  current.ok = e.ok;
  if (!e.ok) {
    current.failure = e.failure;
    return report(e.failure);
  }
  return report();
};

const ms = (v: number): string =>
  Number.isNaN(v) ? '-' : v < 1000 ? `${v.toFixed(2)}ms` : formatDuration(v);

// The probe as text for people.
export const renderProbe = (r: ProbeReport): string => {
  const lines = [`probe ${r.url} (${r.target.ip}:${r.target.port}, via ${r.target.via})`];
  for (const s of r.stages) {
    const name = s.stage === 'call' ? `call ${s.call}` : s.stage;
    const flow = [s.sent.join(', '), s.received.join(', ')].filter((x) => x !== '').join(' -> ');
    const mark = s.ok ? 'ok ' : 'ERR';
    lines.push(`  ${mark} ${name.padEnd(9)} ${ms(s.ms).padStart(10)}  ${flow}`.trimEnd());
  }
  if (r.failure !== undefined) {
    lines.push(`failed: ${r.failure.message}`);
  } else {
    const calls = r.stages.filter((s) => s.stage === 'call').length;
    lines.push(`ok: session opened, ${calls} call${calls === 1 ? '' : 's'} answered, ended cleanly`);
  }
  return lines.join('\n');
};

// The command: parses argv, probes, prints; returns the exit code.
export const probeCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(() => parse(argv), PROBE_USAGE);
  if (values.help) return printUsage(PROBE_USAGE);
  const options: Omit<ProbeOptions, 'url'> = {
    calls: intFlag('calls', values.calls, 1),
    payload: intFlag('payload', values.payload, 64),
    timeoutMs: durationFlag('timeout', values.timeout, 5000),
    encoding: values.encoding,
    allowRemote: values['allow-remote'],
  };
  if (positionals.length > 1)
    throw new UsageError(`expected one URL, got ${positionals.length}\n\n${PROBE_USAGE}`);
  if (positionals.length === 0 && !values.echo)
    throw new UsageError(`expected a net.tcp URL\n\n${PROBE_USAGE}`);
  if (positionals.length === 1 && values.echo) throw new UsageError('give a URL or --echo, not both');
  const echo = values.echo ? await startEchoEndpoint() : undefined;
  try {
    const url = positionals[0] ?? echo!.url('/echo');
    let report: ProbeReport;
    try {
      report = await probe({ ...options, url });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'CLIENT_ADDRESS' || code === 'CLIENT_REMOTE_TARGET')
        throw new UsageError((e as Error).message);
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new UsageError(`cannot resolve the host of ${url}`);
      throw e;
    }
    process.stdout.write(values.json ? `${JSON.stringify(report, roundMs)}\n` : `${renderProbe(report)}\n`);
    return report.ok ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    await echo?.close();
  }
};

// Timings to the microsecond are plenty in JSON.
const roundMs = (key: string, v: unknown): unknown =>
  key === 'ms' && typeof v === 'number' ? Math.round(v * 1000) / 1000 : v;

const parse = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      calls: { type: 'string' },
      payload: { type: 'string' },
      timeout: { type: 'string' },
      encoding: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-remote': { type: 'boolean', default: false },
      echo: { type: 'boolean', default: false },
      ...HELP_FLAG,
    },
  });
