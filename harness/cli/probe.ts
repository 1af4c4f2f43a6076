// `nettcp-chaos probe URL`: one net.tcp session, each stage shown with its timing, records and outcome.
// Its calls are SOAP, as a WCF client makes them (Echo of IInteropService unless told otherwise), or with
// --op-framing the reference host's compact op framing. An http:// URL is probed over HTTP (probe-http.ts).

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
import {
  createSoapCodec,
  decodeOpReply,
  describeRecord,
  encodeOpRequest,
  type FramingRecord,
  OPS_CONTENT_TYPE,
  SOAP_ENCODINGS,
  type SoapCodec,
  type SoapEncodingName,
  type SoapReply,
  TEMPURI,
} from '../../protocol/index.ts';
import { formatDuration } from '../../model/duration.ts';
import { durationFlag, HELP_FLAG, intFlag, parsedOrUsage, printUsage } from './flags.ts';
import { type HttpProbeReport, httpRequestOfFlags, probeHttpUrl, renderHttpProbe } from './probe-http.ts';
import { ExitCode, shown, UsageError } from './usage.ts';

export const PROBE_USAGE = `usage: nettcp-chaos probe net.tcp://HOST:PORT/PATH [options]
       nettcp-chaos probe http://HOST:PORT/PATH [options]
       nettcp-chaos probe --echo [options]

Opens one net.tcp session, makes calls, ends it, and prints each stage. Calls are SOAP 1.2 with
WS-Addressing, as a WCF client on NetTcpBinding makes them: by default Echo(text) of IInteropService in
http://tempuri.org/ (what the reference host's workers and interop/service answer), or any operation of
any contract with --operation/--action and --param.

  --calls N            calls to make after the preamble (default 1)
  --operation NAME     the operation to call (default Echo); its action is {namespace}{contract}/NAME
  --action URI         the SOAP action, when not that default
  --param NAME=VALUE   a parameter of the operation, repeatable (default for Echo: text=--payload characters)
  --contract NAME      the service contract (default IInteropService)
  --namespace URI      the contract's namespace (default http://tempuri.org/)
  --to URL             the To header (default: the URL probed, as a .NET client addresses it)
  --payload BYTES      Echo's default text length; with --op-framing, bytes per message (default 64)
  --timeout DURATION   deadline of each stage: connect, preamble, each call, end (default 5s)
  --encoding NAME      SOAP: binary-session (default, NetTcpBinding's) or soap12; with --op-framing any
                       encoding or content type (default ${OPS_CONTENT_TYPE})
  --op-framing         send the reference host's compact op framing (echo requests) instead of SOAP; no
                       real WCF service understands it
  --json               print one JSON object instead of text
  --allow-remote       allow a target outside loopback
  --echo               start a built-in echo endpoint on loopback and probe it (it echoes bytes back, so
                       it implies --op-framing)

An http:// URL gets HTTP requests instead, each on a fresh connection (what a suite's HTTP listener probe
sends): SOAP as BasicHttpBinding sends it (Echo by default; --operation, --action, --param, --contract,
--namespace, --to as above), or a plain request:

  --soap 1.1|1.2       the SOAP version: 1.1 (BasicHttpBinding, the default) or 1.2 (WSHttpBinding)
  --method NAME        a plain request with this method (default: POST with a body, else GET)
  --header 'NAME: V'   a header of a plain request, repeatable
  --body TEXT          a plain request's body
  --expect-body TEXT   the body the reply must carry
  --calls N            requests to make, one after another (default 1)

Exit: 0 the session and its calls (or the requests) succeeded, 1 the server faulted (a SOAP fault too),
answered outside 2xx or wrongly, timed out or failed, 2 bad usage.`;

// A SOAP call to make: the operation (or action) of a contract, with parameters.
export type ProbeSoapCall = {
  encoding: SoapEncodingName;
  operation: string;
  action?: string;
  params: Record<string, string>;
  contract: string;
  namespace: string;
  // The To header; default: the URL probed.
  to?: string;
};

export type ProbeOptions = {
  url: string;
  calls: number;
  payload: number;
  timeoutMs: number;
  // The op framing's encoding; SOAP calls open with their own.
  encoding?: string;
  allowRemote?: boolean;
  // Absent: the compact op framing.
  soap?: ProbeSoapCall;
};

// A failure of a call the session itself survived: a SOAP fault, or a reply that could not be read.
export type ReplyFailure =
  | { kind: 'soap-fault'; stage: 'call'; code: string; subcodes: string[]; reason: string }
  | { kind: 'unreadable-reply'; stage: 'call'; code: string; message: string }
  | { kind: 'op-fault'; stage: 'call'; reason: string };

export type ProbeFailure = Failure | ReplyFailure;

export type StageReport = {
  stage: 'connect' | 'preamble' | 'call' | 'end';
  // 1-based call number, for call stages.
  call?: number;
  ms: number;
  ok: boolean;
  sent: string[];
  received: string[];
  // A call's message as SOAP: the action sent; the reply's action and result, or the fault.
  soap?: {
    action: string;
    reply?: { action: string | undefined; result: string | undefined };
    fault?: { code: string; subcodes: string[]; reason: string };
  };
  failure?: ProbeFailure;
};

export type ProbeReport = {
  url: string;
  target: { ip: string; port: number; via: string };
  // What the calls spoke.
  messages: 'soap' | 'op-framing';
  ok: boolean;
  stages: StageReport[];
  failure?: ProbeFailure & { message: string };
};

// One line naming a failure, for people.
export const describeProbeFailure = (f: ProbeFailure): string => {
  switch (f.kind) {
    case 'soap-fault':
      return `SOAP fault ${[f.code, ...f.subcodes].join('/')} during call: ${f.reason}`;
    case 'unreadable-reply':
      return `the reply is not a SOAP message the probe can read (${f.code}): ${f.message}`;
    case 'op-fault':
      return `the op framing call failed: ${f.reason}`;
    default:
      return describeFailure(f);
  }
};

// A payload of `size` bytes, the same every run.
const payloadOf = (size: number): Buffer => {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
};

// Echo's default text: `size` letters, the same every run.
const textOf = (size: number): string => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < size; i++) s += letters[(i * 7) % 26];
  return s;
};

// A call's messages: what to send, and what the reply says.
type Speaker = {
  encoding: number | string;
  codec?: SoapCodec;
  request(call: number): Uint8Array;
  read(reply: Uint8Array, stage: StageReport): ReplyFailure | undefined;
};

const soapSpeaker = (soap: ProbeSoapCall, via: string): Speaker => {
  const codec = createSoapCodec({
    encoding: soap.encoding,
    to: soap.to ?? via,
    contract: soap.contract,
    namespace: soap.namespace,
  });
  const action = soap.action ?? `${soap.namespace}${soap.contract}/${soap.operation}`;
  return {
    encoding: codec.knownEncoding,
    codec,
    request: () => codec.encodeRequest({ action, operation: soap.operation, params: soap.params }),
    read: (reply, stage) => {
      stage.soap = { action };
      let r: SoapReply;
      try {
        r = codec.decodeReply(reply);
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'SOAP';
        return { kind: 'unreadable-reply', stage: 'call', code, message: (e as Error).message };
      }
      if (r.kind === 'reply') {
        stage.soap.reply = { action: r.action, result: r.result };
        return undefined;
      }
      stage.soap.fault = { code: r.code, subcodes: r.subcodes, reason: r.reason };
      return { kind: 'soap-fault', stage: 'call', code: r.code, subcodes: r.subcodes, reason: r.reason };
    },
  };
};

const opsSpeaker = (o: ProbeOptions): Speaker => {
  const payload = payloadOf(o.payload);
  return {
    encoding: o.encoding ?? OPS_CONTENT_TYPE,
    request: (call) => encodeOpRequest({ id: call, op: 'echo', arg: 0, payload }),
    read: (reply) => {
      const r = decodeOpReply(reply);
      return r !== undefined && !r.ok ? { kind: 'op-fault', stage: 'call', reason: r.reason } : undefined;
    },
  };
};

// Runs one probe session. Never throws for anything the server does.
export const probe = async (o: ProbeOptions, target?: NetTcpTarget): Promise<ProbeReport> => {
  const t = target ?? (await resolveNetTcpUrl(o.url, o.allowRemote));
  const speaker = o.soap === undefined ? opsSpeaker(o) : soapSpeaker(o.soap, t.via);
  const stages: StageReport[] = [];
  let current: StageReport = { stage: 'preamble', ms: 0, ok: false, sent: [], received: [] };
  const trace = (dir: 'out' | 'in', r: FramingRecord) =>
    (dir === 'out' ? current.sent : current.received).push(describeRecord(r));
  const report = (failure?: ProbeFailure): ProbeReport => ({
    url: o.url,
    target: { ip: t.ip, port: t.port, via: t.via },
    messages: o.soap === undefined ? 'op-framing' : 'soap',
    ok: failure === undefined,
    stages,
    ...(failure === undefined ? {} : { failure: { ...failure, message: describeProbeFailure(failure) } }),
  });

  const t0 = performance.now();
  const opened = await openSession(t, {
    encoding: speaker.encoding,
    ...sameTimeouts(o.timeoutMs),
    allowRemote: o.allowRemote,
    trace,
    ...(speaker.codec === undefined ? {} : { correlate: speaker.codec.correlator }),
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
  // A call the server answered with a fault: the session lives on and is ended cleanly.
  let failed: ReplyFailure | undefined;
  for (let i = 1; i <= o.calls && failed === undefined; i++) {
    current = { stage: 'call', call: i, ms: 0, ok: false, sent: [], received: [] };
    stages.push(current);
    const c = await session.call(speaker.request(i));
    current.ms = c.ms;
    if (!c.ok) {
      current.failure = c.failure;
      session.abort();
      return report(c.failure);
    }
    failed = speaker.read(c.reply, current);
    if (failed === undefined) current.ok = true;
    else current.failure = failed;
  }
  current = { stage: 'end', ms: 0, ok: false, sent: [], received: [] };
  stages.push(current);
  const e = await session.end();
  current.ms = e.ms;
  current.ok = e.ok;
  if (!e.ok) {
    current.failure = e.failure;
    return report(failed ?? e.failure);
  }
  return report(failed);
};

const ms = (v: number): string =>
  Number.isNaN(v) ? '-' : v < 1000 ? `${v.toFixed(2)}ms` : formatDuration(v);

// Text longer than `n` characters, cut with an ellipsis.
const cut = (text: string, n: number): string => (text.length <= n ? text : `${text.slice(0, n)}…`);

// A call's SOAP exchange in one line: the action sent, and the reply's action and result or the fault.
const soapLine = (s: NonNullable<StageReport['soap']>): string => {
  const back =
    s.fault !== undefined
      ? `fault ${[s.fault.code, ...s.fault.subcodes].join('/')}: ${cut(s.fault.reason, 100)}`
      : s.reply !== undefined
        ? `${s.reply.action ?? '(no action)'}${s.reply.result === undefined ? '' : `, result ${JSON.stringify(cut(s.reply.result, 24))} (${s.reply.result.length} chars)`}`
        : '(unreadable)';
  return `SOAP ${s.action} -> ${back}`;
};

// The probe as text for people.
export const renderProbe = (r: ProbeReport): string => {
  const speaks = r.messages === 'soap' ? 'SOAP' : 'the compact op framing';
  const lines = [`probe ${r.url} (${r.target.ip}:${r.target.port}, via ${r.target.via}; ${speaks})`];
  for (const s of r.stages) {
    const name = s.stage === 'call' ? `call ${s.call}` : s.stage;
    const flow = [s.sent.join(', '), s.received.join(', ')].filter((x) => x !== '').join(' -> ');
    const mark = s.ok ? 'ok ' : 'ERR';
    lines.push(`  ${mark} ${name.padEnd(9)} ${ms(s.ms).padStart(10)}  ${flow}`.trimEnd());
    if (s.soap !== undefined) lines.push(`${' '.repeat(28)}${soapLine(s.soap)}`);
  }
  if (r.failure !== undefined) {
    lines.push(`failed: ${r.failure.message}`);
  } else {
    const calls = r.stages.filter((s) => s.stage === 'call').length;
    lines.push(`ok: session opened, ${calls} call${calls === 1 ? '' : 's'} answered, ended cleanly`);
  }
  return lines.join('\n');
};

const SOAP_FLAGS = ['operation', 'action', 'param', 'contract', 'namespace', 'to'] as const;

// `--param NAME=VALUE` flags as parameters by name.
const paramsOf = (flags: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.indexOf('=');
    if (i <= 0) throw new UsageError(`--param: expected NAME=VALUE, got ${shown(f)}`);
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out;
};

// The SOAP call the flags describe.
const soapCallOf = (values: ReturnType<typeof parse>['values'], payload: number): ProbeSoapCall => {
  const encoding = values.encoding ?? 'binary-session';
  if (!Object.hasOwn(SOAP_ENCODINGS, encoding))
    throw new UsageError(
      `--encoding: SOAP calls speak binary-session or soap12, got ${shown(encoding)} (the op framing takes any encoding: --op-framing)`,
    );
  const operation = values.operation ?? 'Echo';
  const given = paramsOf(values.param ?? []);
  const params =
    values.operation === undefined && values.action === undefined && values.param === undefined
      ? { text: textOf(payload) }
      : given;
  return {
    encoding: encoding as SoapEncodingName,
    operation,
    ...(values.action === undefined ? {} : { action: values.action }),
    params,
    contract: values.contract ?? 'IInteropService',
    namespace: values.namespace ?? TEMPURI,
    ...(values.to === undefined ? {} : { to: values.to }),
  };
};

// The command: parses argv, probes, prints; returns the exit code.
export const probeCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parsedOrUsage(() => parse(argv), PROBE_USAGE);
  if (values.help) return printUsage(PROBE_USAGE);
  const payload = intFlag('payload', values.payload, 64);
  const opFraming = values['op-framing'] || values.echo;
  if (opFraming) {
    const soapOnly = SOAP_FLAGS.find((f) => values[f] !== undefined);
    if (soapOnly !== undefined)
      throw new UsageError(
        `--${soapOnly} goes with SOAP calls, not ${values.echo ? '--echo (the echo endpoint speaks the op framing)' : '--op-framing'}`,
      );
  }
  if (positionals.length > 1)
    throw new UsageError(`expected one URL, got ${positionals.length}\n\n${PROBE_USAGE}`);
  if (positionals.length === 0 && !values.echo)
    throw new UsageError(`expected a net.tcp:// or http:// URL\n\n${PROBE_USAGE}`);
  if (positionals.length === 1 && values.echo) throw new UsageError('give a URL or --echo, not both');
  if (positionals[0]?.startsWith('http://')) return httpProbe(positionals[0], values, payload);
  const httpOnly = HTTP_FLAGS.find((f) => values[f] !== undefined);
  if (httpOnly !== undefined) throw new UsageError(`--${httpOnly} goes with an http:// URL`);
  const options: Omit<ProbeOptions, 'url'> = {
    calls: intFlag('calls', values.calls, 1),
    payload,
    timeoutMs: durationFlag('timeout', values.timeout, 5000),
    ...(opFraming ? { encoding: values.encoding } : { soap: soapCallOf(values, payload) }),
    allowRemote: values['allow-remote'],
  };
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

const HTTP_FLAGS = ['soap', 'method', 'header', 'body', 'expect-body'] as const;

// probe http://...: HTTP requests instead of a net.tcp session.
const httpProbe = async (
  url: string,
  values: ReturnType<typeof parse>['values'],
  payload: number,
): Promise<number> => {
  const netTcpOnly = (['encoding', 'op-framing'] as const).find(
    (f) => values[f] !== undefined && values[f] !== false,
  );
  if (netTcpOnly !== undefined) throw new UsageError(`--${netTcpOnly} goes with a net.tcp URL, not ${url}`);
  if (!URL.canParse(url)) throw new UsageError(`not a URL: ${shown(url)}`);
  const spec = httpRequestOfFlags(url, values, {
    timeoutMs: durationFlag('timeout', values.timeout, 5000),
    allowRemote: values['allow-remote'],
    text: textOf(payload),
  });
  let report: HttpProbeReport;
  try {
    report = await probeHttpUrl({ spec, requests: intFlag('calls', values.calls, 1, 1) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'HTTP_BAD_SPEC' || code === 'CLIENT_REMOTE_TARGET')
      throw new UsageError((e as Error).message);
    throw e;
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, roundMs)}\n` : `${renderHttpProbe(report)}\n`);
  return report.ok ? ExitCode.Ok : ExitCode.Failed;
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
      operation: { type: 'string' },
      action: { type: 'string' },
      param: { type: 'string', multiple: true },
      contract: { type: 'string' },
      namespace: { type: 'string' },
      to: { type: 'string' },
      soap: { type: 'string' },
      method: { type: 'string' },
      header: { type: 'string', multiple: true },
      body: { type: 'string' },
      'expect-body': { type: 'string' },
      'op-framing': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'allow-remote': { type: 'boolean', default: false },
      echo: { type: 'boolean', default: false },
      ...HELP_FLAG,
    },
  });
