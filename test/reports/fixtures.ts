// Hand-made runs for the report tests: a defective one (a recycle that wedges the listener for 1.5s
// while the worker leaks sockets and sessions time out) and a fixed one of the same suite, each as a
// History, a RunResult, or a run folder on disk.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from '../../model/expect.ts';
import { runChecks } from '../../harness/checks/index.ts';
import type { History, HistoryEvent, MetaEvent } from '../../model/history.ts';
import { EXIT_CODES, type RunResult } from '../../model/result.ts';
import { loadSuiteText } from '../../harness/suite/load.ts';
import { fault, load, phase, probe, proc, target } from '../helpers/history.ts';

// The suite both runs ran; its description carries markup a page must not execute.
export const SUITE_TEXT = `name: hand-made
description: "a recycle that wedges </script><script>window.injected = 1</script> the listener"
seed: 7
target:
  host:
    services:
      - path: /orders
load:
  - { name: steady, via: /orders, model: constant-arrival-rate, rate: 50, duration: 4s }
faults:
  - { kind: recycle, at: 1s, mode: overlapped, path: /orders }
probe: { interval: 100ms, timeout: 500ms }
checks:
  listener.responsive: { maxGap: 1s }
  handles.noLeak: { tolerance: 2, settle: 1s }
  sessions.errorRate: { max: 0.01 }
  latency: { p99: 250ms }
`;

const loaded = loadSuiteText(SUITE_TEXT, 'hand-made.yaml');
if (!loaded.ok) throw new Error(`the hand-made suite does not validate: ${JSON.stringify(loaded.problems)}`);
export const SUITE = loaded.loaded.suite;

const META: MetaEvent = {
  t: 0,
  kind: 'meta',
  version: 2,
  suite: 'hand-made',
  file: 'hand-made.yaml',
  text: SUITE_TEXT,
  seed: 7,
  startedAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'nettcp-chaos', version: '0.1.0', node: 'v24.21.0', platform: 'linux-x64' },
};

// Load runs from 1s to 5s; the recycle is injected at 2s and healed at 2.2s; final reading at 6.5s.
export const handMadeHistory = (defective: boolean): History => {
  const ev: HistoryEvent[] = [
    phase(100, 'starting'),
    phase(500, 'ready'),
    { t: 510, kind: 'ready', ms: 3, pid: 100, host: '127.0.0.1', port: 4000 },
    phase(600, 'baseline'),
    target(
      900,
      proc(100, { socket: 5, other: 10 }, { LISTEN: 1 }, 'listener'),
      proc(200, { socket: 2, other: 10 }, {}, 'worker /orders'),
    ),
    phase(1000, 'load'),
    fault(2000, 'inject'),
    fault(2200, 'heal'),
    phase(5000, 'drain'),
    phase(5500, 'settle'),
    phase(6500, 'final'),
  ];
  // Probes every 100ms; the defective listener answers none from 2.0s to 3.5s.
  for (let t = 600; t <= 6500; t += 100) {
    const dark = defective && t > 2000 && t < 3500;
    ev.push(dark ? probe(t, false, { kind: 'timeout', stage: 'preamble' }) : probe(t, true));
  }
  // Load windows each second: the defective run's sessions time out and slow down during the wedge.
  for (let t = 2000; t <= 5000; t += 1000) {
    const wedged = defective && t === 3000;
    ev.push(load(t, { ok: wedged ? 25 : 50, ms: wedged ? 400 : 5, failed: wedged ? { timeout: 25 } : {} }));
  }
  // The worker recycles at 2s (pid 200 -> 300); the defective new worker keeps every socket.
  for (let t = 1500; t <= 6500; t += 500) {
    const worker =
      t < 2000
        ? proc(200, { socket: 3, other: 10 }, { ESTABLISHED: 1 }, 'worker /orders')
        : defective
          ? proc(
              300,
              { socket: 2 + Math.min(20, (t - 2000) / 250), other: 10 },
              { CLOSE_WAIT: Math.min(20, (t - 2000) / 250) },
              'worker /orders',
            )
          : proc(300, { socket: t < 5000 ? 3 : 2, other: 10 }, {}, 'worker /orders');
    ev.push(target(t, proc(100, { socket: 5, other: 10 }, { LISTEN: 1 }, 'listener'), worker));
  }
  const h: History = { meta: META, events: [META, ...ev].sort((a, b) => a.t - b.t) };
  const verdicts = runChecks(h, SUITE.checks);
  const met = judge(verdicts, SUITE.expect).met;
  h.events.push(
    { t: 6600, kind: 'outcome', outcome: met ? 'met' : 'not-met', exitCode: met ? 0 : 1 },
    phase(6601, 'done'),
  );
  return h;
};

// The RunResult the run loop would have made of a hand-made history.
export const handMadeRun = (defective: boolean, dir = '/tmp/hand-made'): RunResult => {
  const history = handMadeHistory(defective);
  const verdicts = runChecks(history, SUITE.checks);
  const judgement = judge(verdicts, SUITE.expect);
  const outcome = judgement.met ? 'met' : 'not-met';
  return {
    suite: 'hand-made',
    file: 'hand-made.yaml',
    dir,
    seed: 7,
    expect: SUITE.expect,
    outcome,
    exitCode: EXIT_CODES[outcome],
    judgement,
    verdicts,
    target: { kind: 'host', pid: 100, host: '127.0.0.1', port: 4000 },
    durationMs: 6600,
    history,
  };
};

// A history as history.ndjson text.
export const ndjson = (h: History): string => h.events.map((e) => `${JSON.stringify(e)}\n`).join('');

// Writes a hand-made run's history into OUT/hand-made/ and returns that folder.
export const writeRunDir = async (defective: boolean, out?: string): Promise<string> => {
  const dir = join(out ?? (await mkdtemp(join(tmpdir(), 'nettcp-chaos-report-'))), 'hand-made');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'history.ndjson'), ndjson(handMadeHistory(defective)));
  return dir;
};
