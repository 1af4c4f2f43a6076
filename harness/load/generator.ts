// A load generator: the harness's load runner for one execution segment of every load, driven by the
// generator protocol over any pair of streams (a child's stdin and stdout here, a TCP connection from
// another machine later). It knows nothing of faults, probes or observers, nor of which client a load
// uses: the runner does. It ends when its input ends, cutting off what is still in flight.

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { HistoryEvent, LoadSample } from '../../model/history.ts';
import { GeneratorHealth } from '../observe/generator-health.ts';
import {
  decodeToGenerator,
  encodeMessage,
  type FromGenerator,
  GENERATOR_PROTOCOL,
  type ToGenerator,
} from './generator-protocol.ts';
import { LoadRunner } from './runner.ts';

// Serves the harness until `input` ends; resolves once load has stopped.
export const serveGenerator = async (input: Readable, output: Writable): Promise<void> => {
  const send = (m: FromGenerator): void => {
    if (output.writable) output.write(encodeMessage(m));
  };
  const health = new GeneratorHealth();
  health.start();
  let runner: LoadRunner | undefined;
  // Run time = performance.now() - offset, counted on from the harness's `t` at start.
  let offset = performance.now();
  const windows: LoadSample[] = [];
  const sink = {
    now: () => performance.now() - offset,
    append: (e: HistoryEvent) => {
      if (e.kind === 'sample' && e.source === 'load') windows.push(e);
      // Ok sessions are counted in the windows; failed and cut-off ones go back as they end.
      else if (e.kind === 'op' && e.type !== 'ok') send({ type: 'op', event: e });
    },
  };
  let stopping: Promise<void> | undefined;
  const stop = (drainMs: number): Promise<void> => (stopping ??= runner?.stop(drainMs) ?? Promise.resolve());

  let stopped: Promise<void> | undefined;
  const onMessage = (m: ToGenerator): void => {
    if (m.op === 'start') {
      if (runner !== undefined) return;
      offset = performance.now() - m.t;
      runner = new LoadRunner({
        loads: m.loads,
        target: m.target,
        seed: m.seed,
        allowRemote: m.allowRemote,
        history: sink,
        segment: m.segment,
      });
      runner.start();
      void runner.done.then(() => send({ type: 'done' }));
    } else if (m.op === 'window') {
      runner?.emitWindows();
      const samples = windows.splice(0);
      send({
        type: 'window',
        seq: m.seq,
        samples,
        health: { ...health.read(), rssBytes: process.memoryUsage.rss() },
      });
    } else {
      // Windows asked for while it drains are still answered.
      stopped ??= stop(m.drainMs).then(() => send({ type: 'stopped' }));
    }
  };

  send({ type: 'hello', protocol: GENERATOR_PROTOCOL, pid: process.pid, node: process.version });
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    const m = decodeToGenerator(line);
    if (m === undefined) {
      send({
        type: 'error',
        message: `not a message of protocol ${GENERATOR_PROTOCOL}: ${line.slice(0, 200)}`,
      });
      continue;
    }
    try {
      onMessage(m);
    } catch (e) {
      send({ type: 'error', message: String((e as Error).stack ?? e) });
    }
  }
  // The harness went away (or closed our input): whatever is in flight is cut off.
  await stop(0);
  await stopped;
  health.stop();
};
