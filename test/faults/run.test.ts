import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { execa } from 'execa';
import { CLI } from '../helpers/cli.ts';

// Every fault kind but network in one run of the reference host, on the run's own timeline. The
// recycling faults are 2s apart or more: a stop-start recycle on a busy machine takes that long, and a
// path being recycled refuses another (HOST_BUSY).
const SUITE = `name: every-fault
seed: 5
target:
  host:
    listen: 127.0.0.1:0
    sharing: { maxPendingAccepts: 4, receiveTimeout: 5s, dispatchTimeout: 5s }
    services:
      - { path: /orders, throttle: { maxConcurrentCalls: 4 }, activation: { mode: startup } }
load:
  - { name: steady, via: /orders, model: constant-arrival-rate, rate: 10, duration: 9s, session: { openTimeout: 3s } }
faults:
  - { kind: cpu-spike, at: 300ms, duration: 1s, workers: 1, load: 50 }
  - { kind: throttle-saturation, at: 800ms, duration: 1s, path: /orders, calls: 4 }
  - { kind: preamble-flood, at: 800ms, duration: 1s, connections: 2 }
  - { kind: pause, at: 2300ms, duration: 500ms, path: /orders }
  - { kind: kill, at: 3300ms, path: /orders, restart: true }
  - { kind: slow-activation, at: 5500ms, delay: 300ms, duration: 1s, path: /orders, recycle: stop-start }
  - { kind: recycle, at: 7800ms, mode: overlapped, path: /orders }
probe: { interval: 250ms, timeout: 2s }
drain: 2s
checks:
  listener.responsive: { maxGap: 30s }
  handles.noLeak: { tolerance: 50, settle: 500ms }
`;

type Event = { kind: string; type?: string; id?: string; detail?: Record<string, unknown> };

t.test(
  'a run injects every fault on time, heals each one, records notes and removes its journal',
  async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'nettcp-chaos-faults-'));
    const state = join(work, 'state');
    await writeFile(join(work, 'every-fault.yaml'), SUITE);
    const r = await execa(
      process.execPath,
      [CLI, 'run', join(work, 'every-fault.yaml'), '--out', join(work, 'runs')],
      { reject: false, env: { NETTCP_CHAOS_STATE_DIR: state }, timeout: 60_000 },
    );
    t.equal(r.exitCode, 0, String(r.stdout) + String(r.stderr).slice(-2000));
    const events = (await readFile(join(work, 'runs', 'every-fault', 'history.ndjson'), 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Event)
      .filter((e) => e.kind === 'fault');
    const ids = [...new Set(events.map((e) => e.id!))];
    t.equal(ids.length, 7);
    for (const id of ids) {
      const types = events.filter((e) => e.id === id).map((e) => e.type);
      t.same(
        types.filter((x) => x !== 'note'),
        ['intent', 'inject', 'heal'],
        `${id}: intent, inject, heal`,
      );
      t.ok(types.includes('note'), `${id} recorded what it measured`);
    }
    const note = (id: string, key: string) =>
      events.filter((e) => e.id === id && e.type === 'note').find((e) => e.detail?.[key] !== undefined)
        ?.detail?.[key];
    t.equal(note('throttle-saturation#1', 'held'), 4);
    t.equal((note('pause#3', 'paused') as { state: string }[])[0]?.state, 'T');
    t.ok((note('kill#4', 'restarted') as { pid: number }[])[0]!.pid > 0, 'kill restarted the worker');
    t.ok(
      (note('slow-activation#5', 'activations') as { ms: number }[])[0]!.ms >= 250,
      'the activation in the window took the delay',
    );
    t.same(await readdir(join(state, 'journals')), [], 'every fault healed, so the journal is gone');
  },
);
