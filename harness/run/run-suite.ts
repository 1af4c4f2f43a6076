// The run loop: start the target, wait until it answers, take a baseline, run load with the fault
// timeline while observers sample, drain, settle, observe once more, stop everything, judge.
// Every exit path (success, failure, exception, interrupt) heals faults and stops the target.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetTcpTarget } from '../../clients/nettcp/index.ts';
import { sleep, viaOf } from '../../faults/common.ts';
import { startNetworkProxy } from '../../faults/network/start.ts';
import { type NetworkProxy, NetworkProxyError } from '../../faults/network/types.ts';
import { judge } from '../checks/expect.ts';
import { runChecks } from '../checks/index.ts';
import type { Verdict } from '../checks/types.ts';
import { HISTORY_VERSION, type Phase } from '../history/events.ts';
import { HistoryWriter } from '../history/writer.ts';
import { freshSeed } from '../load/random.ts';
import { LoadRunner } from '../load/runner.ts';
import { GeneratorHealth, SATURATED_CPU_PERCENT, SATURATED_SAMPLES } from '../observe/generator-health.ts';
import { ListenerProber, probeMessagesFor, waitReady } from '../observe/probe.ts';
import { TargetSampler } from '../observe/target-sampler.ts';
import { faultSchedule } from '../suite/fault-schedule.ts';
import type { SuiteRun } from '../suite/variants.ts';
import { startCommandTarget } from '../target/command-target.ts';
import { startHostTarget } from '../target/host-target.ts';
import { spawnGuarded } from '../target/spawned.ts';
import { type RunningTarget, TargetStartError } from '../target/types.ts';
import { Watchdog } from '../target/watchdog.ts';
import { VERSION } from '../version.ts';
import { FaultTimeline } from './fault-timeline.ts';
import { Journal } from './journal.ts';
import { sweepJournals } from './journal-sweep.ts';
import { EXIT_CODES, type RunOutcome, type RunResult } from './result.ts';

export type RunOptions = {
  outDir: string;
  seed?: number;
  // Aborted by SIGINT/SIGTERM: load stops, faults heal, the target stops, reports are still written.
  signal: AbortSignal;
  // Sees the writer as soon as it exists (progress display).
  onHistory?: (h: HistoryWriter) => void;
  // Renders reports into the run's folder once the result exists.
  writeReports: (r: RunResult) => Promise<void>;
  // Sees what the journal sweep did before the run (for the console).
  onSweep?: (lines: string[]) => void;
};

// A via as a dial target. With a network proxy, relative vias dial the proxy (their via still names
// the target, as a transparent proxy's clients would); absolute vias dial what they name.
const resolveVia = (via: string, target: RunningTarget, proxy?: NetworkProxy): NetTcpTarget => {
  const url = via.startsWith('/') ? viaOf(target, via) : via;
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port: u.port === '' ? 808 : Number(u.port),
    path: u.pathname,
    via: url,
    // Relative vias dial the target itself; absolute ones were checked to be loopback (or allowed).
    ip: via.startsWith('/') ? target.host : host === 'localhost' ? '127.0.0.1' : host,
    ...(proxy !== undefined && via.startsWith('/') ? { ip: proxy.host, port: proxy.port } : {}),
  };
};

export const runSuite = async ({ suite, file, text, notes }: SuiteRun, o: RunOptions): Promise<RunResult> => {
  const seed = o.seed ?? suite.seed ?? freshSeed();
  const dir = join(o.outDir, suite.name);
  await mkdir(dir, { recursive: true });
  const h = new HistoryWriter(
    {
      version: HISTORY_VERSION,
      suite: suite.name,
      file,
      text,
      seed,
      startedAt: new Date().toISOString(),
      tool: {
        name: 'nettcp-chaos',
        version: VERSION,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
    },
    join(dir, 'history.ndjson'),
  );
  o.onHistory?.(h);
  const log = (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) =>
    h.append({
      t: h.now(),
      kind: 'log',
      level,
      source: 'harness',
      message,
      ...(data === undefined ? {} : { data }),
    });
  const phase = (p: Phase) => h.append({ t: h.now(), kind: 'phase', phase: p });

  const started = performance.now();
  const signal = o.signal;
  let invalidReason: string | undefined;
  // Set once the run starts tearing down: the target exiting then is expected.
  let stopping = false;
  let target: RunningTarget | undefined;
  let timeline: FaultTimeline | undefined;
  let journal: Journal | undefined;
  let prober: ListenerProber | undefined;
  let runner: LoadRunner | undefined;
  let proxy: NetworkProxy | undefined;
  let tick: NodeJS.Timeout | undefined;
  const generator = new GeneratorHealth();
  const watchdog = await Watchdog.start();
  try {
    // What a crashed run left open is healed first; then this run's own journal.
    const sweep = await sweepJournals();
    for (const line of sweep.lines) log(sweep.healed > 0 ? 'warn' : 'info', line, { sweep: sweep.journals });
    o.onSweep?.(sweep.lines);
    journal = await Journal.open(suite.name);
    phase('starting');
    for (const n of notes ?? []) log('info', n);
    const t = suite.target;
    // A line the target printed, or an event the host reported.
    const targetLog = (level: 'info' | 'warn' | 'error', message: string, data: Record<string, unknown>) =>
      h.append({ t: h.now(), kind: 'log', level, source: 'target', message, data });
    const onOutput = (line: string, stream: 'stdout' | 'stderr') => targetLog('info', line, { stream });
    try {
      target =
        t.host !== undefined
          ? await startHostTarget(t.host, {
              watchdog,
              startTimeoutMs: t.ready.timeout,
              onLog: (l) => targetLog(l.level, l.message, l.data),
              onOutput,
            })
          : await startCommandTarget(t, { watchdog, onLine: onOutput });
    } catch (e) {
      if (!(e instanceof TargetStartError)) throw e;
      invalidReason = e.message;
      return await finish();
    }
    const running = target;
    void running.exited.then((x) => {
      if (!stopping)
        log('error', `the target exited during the run (code ${x.code}, signal ${x.signal})`, { ...x });
    });
    const probeVia = suite.probe.via ?? t.ready.via ?? suite.load[0]!.via;
    const probeTarget = resolveVia(probeVia, running);
    const probeOptions = {
      timeoutMs: suite.probe.timeout,
      calls: suite.probe.calls,
      allowRemote: suite.allowRemote,
      messages: probeMessagesFor(suite.load, probeVia),
    };
    const ready = await waitReady(
      probeTarget,
      t.ready.timeout,
      probeOptions,
      () => !running.running() || signal.aborted,
    );
    if (!ready.ready) {
      if (signal.aborted) return await finish();
      invalidReason =
        `the target never became ready: no probe session to ${probeTarget.via} succeeded within ${t.ready.timeout}ms` +
        (ready.last === undefined ? '' : ` (last: ${ready.last.kind} during ${ready.last.stage})`) +
        (running.running() ? '' : '; the target exited') +
        `\nits last output:\n${running.lastLines().slice(-10).join('\n')}`;
      return await finish();
    }
    phase('ready');
    log('info', `target ready after ${Math.round(ready.ms)}ms`, {
      pid: running.pid,
      host: running.host,
      port: running.port,
    });
    // Network faults act on a proxy in front of the target; readiness was probed straight, load and
    // the run's probe go through the proxy.
    if (suite.faults.some((f) => f.kind === 'network')) {
      try {
        proxy = await startNetworkProxy({
          target: { host: running.host, port: running.port },
          spawn: (argv, so) => spawnGuarded(argv, { ...so, watchdog }),
          onLine: (line, stream) => log(stream === 'stderr' ? 'warn' : 'info', `network proxy: ${line}`),
          onExpired: (r) => log('warn', `network toxic ${r.name} expired on its own before its heal`, r),
        });
      } catch (e) {
        if (!(e instanceof NetworkProxyError)) throw e;
        invalidReason = e.message;
        return await finish();
      }
      log('info', `network proxy in front of the target on ${proxy.host}:${proxy.port}`, {
        pid: proxy.pid,
        host: proxy.host,
        port: proxy.port,
      });
    }
    const runProbeTarget = resolveVia(probeVia, running, proxy);

    // Observers: target processes, the generator itself, load windows; and the listener probe.
    const sampler = new TargetSampler(() => (running.running() ? running.pid : undefined), running.role);
    let saturated = 0;
    let sampling: Promise<void> | undefined;
    const observe = async (): Promise<void> => {
      const processes = await sampler.sample();
      h.append({ t: h.now(), kind: 'sample', source: 'target', processes });
    };
    generator.start();
    tick = setInterval(() => {
      sampling ??= observe().finally(() => (sampling = undefined));
      const g = generator.read();
      h.append({ t: h.now(), kind: 'sample', source: 'generator', ...g });
      saturated = g.cpuPercent >= SATURATED_CPU_PERCENT ? saturated + 1 : 0;
      if (saturated >= SATURATED_SAMPLES && invalidReason === undefined) {
        invalidReason = `the load generator was saturated (${Math.round(g.cpuPercent)}% of a core for ${saturated} samples in a row); its latencies would blame the target`;
        log('error', invalidReason);
      }
      runner?.emitWindows();
    }, suite.observe.interval);
    prober = new ListenerProber({
      ...probeOptions,
      target: runProbeTarget,
      intervalMs: suite.probe.interval,
      record: (e) => h.append(e),
      now: () => h.now(),
    });
    prober.start();

    // Baseline: a couple of quiet readings before load.
    phase('baseline');
    await sleep(suite.observe.interval * 2, signal);
    await observe();

    phase('load');
    const loadStart = h.now();
    runner = new LoadRunner({
      loads: suite.load,
      targetOf: (l) => resolveVia(l.via, running, proxy),
      seed,
      allowRemote: suite.allowRemote,
      history: h,
    });
    timeline = new FaultTimeline({
      specs: faultSchedule(suite),
      target: running,
      history: h,
      watchdog,
      seed,
      signal,
      network: proxy,
      journal,
    });
    runner.start();
    timeline.start(loadStart);
    const stopLoad = () => runner?.stop(0);
    signal.addEventListener('abort', () => void stopLoad(), { once: true });
    await Promise.race([
      runner.done,
      new Promise((r) => signal.addEventListener('abort', r, { once: true })),
    ]);

    phase('drain');
    await runner.stop(signal.aborted ? 0 : suite.drain);
    runner.emitWindows();
    await timeline.healAll();

    phase('settle');
    await sleep(suite.checks['handles.noLeak']?.settle ?? suite.observe.interval, signal);
    phase('final');
    await sampling;
    await observe();
    return await finish();
  } catch (e) {
    log('error', `the run failed: ${(e as Error).message}`, { stack: String((e as Error).stack) });
    invalidReason ??= `the harness failed: ${(e as Error).message}`;
    return await finish();
  } finally {
    await cleanup();
  }

  // Stops everything still running, in reverse order of starting. Safe to call twice.
  async function cleanup(): Promise<void> {
    stopping = true;
    clearInterval(tick);
    generator.stop();
    await prober?.stop();
    await runner?.stop(0);
    await timeline?.healAll();
    await proxy?.stop();
    if (target?.running()) {
      phase('stopping');
      await target.stop();
    }
    // Removed when every fault healed; otherwise left for the next run's sweep.
    journal?.close();
    await watchdog.close();
  }

  async function finish(): Promise<RunResult> {
    await cleanup();
    const interrupted = signal.aborted;
    // A run that never reached load has nothing to judge; one invalidated later keeps its verdicts.
    const reachedLoad = h.history.events.some((e) => e.kind === 'phase' && e.phase === 'load');
    const verdicts: Verdict[] =
      invalidReason === undefined || reachedLoad ? runChecks(h.history, suite.checks) : [];
    const judgement = judge(verdicts, suite.expect);
    const outcome: RunOutcome =
      invalidReason !== undefined
        ? 'invalid'
        : interrupted
          ? 'interrupted'
          : judgement.met
            ? 'met'
            : 'not-met';
    const exitCode = EXIT_CODES[outcome];
    // The outcome goes into the history too, so `report DIR` can render the run from it alone.
    h.append({
      t: h.now(),
      kind: 'log',
      level: outcome === 'met' ? 'info' : 'error',
      source: 'harness',
      message: `run ${outcome}`,
      data: { outcome, exitCode, ...(invalidReason === undefined ? {} : { invalidReason }) },
    });
    phase('done');
    await h.close();
    const result: RunResult = {
      suite: suite.name,
      file,
      dir,
      seed,
      expect: suite.expect,
      outcome,
      exitCode,
      ...(invalidReason === undefined ? {} : { invalidReason }),
      judgement,
      verdicts,
      target: {
        kind: suite.target.host !== undefined ? 'host' : 'command',
        pid: target?.pid,
        host: target?.host,
        port: target?.port,
      },
      durationMs: performance.now() - started,
      history: h.history,
    };
    await o.writeReports(result);
    return result;
  }
};
