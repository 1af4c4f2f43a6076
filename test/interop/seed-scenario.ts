// A seed suite's scenario for tests that drive the real .NET client: each variant of the suite as shipped
// (suites/*.yaml, variants applied), its reference host started for the test, its load's session shape as
// the .NET client's load-mode arguments, and its faults acted by the fault plug-ins themselves through
// the host's control channel, as a run acts them.

import type { Test } from 'tap';
import { fileURLToPath } from 'node:url';
import { FAULTS } from '../../faults/index.ts';
import type { FaultContext } from '../../faults/types.ts';
import { loadSuiteFile } from '../../harness/suite/load.ts';
import type { FaultSpec, LoadSpec, ParsedSuite } from '../../harness/suite/schema.ts';
import { expandVariants } from '../../harness/suite/variants.ts';
import { descendants, readAllStats } from '../../harness/observe/proc.ts';
import type { HostConfig } from '../../host/config.ts';
import { type SpawnedHost, spawnHost } from '../../host/spawn.ts';

const SUITES = fileURLToPath(new URL('../../suites/', import.meta.url));

// One variant of a seed suite.
type NettcpLoad = Extract<LoadSpec, { client: 'nettcp' }>;

export type Scenario = {
  // The variant's name (defect, fixed, workaround, ...).
  variant: string;
  suite: ParsedSuite;
  host: HostConfig;
  // The suite's first load (the seed suites have one).
  load: NettcpLoad;
  faults: FaultSpec[];
};

// Every variant of suites/`file`, by variant name.
export const seedScenarios = async (file: string): Promise<Map<string, Scenario>> => {
  const loaded = await loadSuiteFile(`${SUITES}${file}`);
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.problems)}`);
  const runs = expandVariants(loaded.loaded);
  if (!runs.ok) throw new Error(`${file}: ${JSON.stringify(runs.problems)}`);
  const out = new Map<string, Scenario>();
  for (const run of runs.runs) {
    const suite = run.suite;
    const host = suite.target.host;
    const load = suite.load[0];
    if (host === undefined || load === undefined || load.client !== 'nettcp')
      throw new Error(`${file}: not a host suite with a net.tcp load`);
    out.set(run.variant?.name ?? suite.name, {
      variant: run.variant?.name ?? '',
      suite,
      host,
      load,
      faults: suite.faults,
    });
  }
  return out;
};

// Starts the scenario's host (on a free port); the test's teardown stops it.
export const startScenarioHost = async (t: Test, s: Scenario): Promise<SpawnedHost> => {
  const h = await spawnHost(s.host);
  t.teardown(() => h.stop());
  return h;
};

// The load's via on the host: its path (the seed suites' vias are paths).
export const loadUrl = (h: SpawnedHost, s: Scenario): string => h.url(s.load.via);

// The load's session as `InteropClient load` arguments: its calls, each an Echo of `payload` characters
// (what the suite's `soap: { operation: Echo, params: { text: "{payload}" } }` sends).
export const sessionArgs = (s: Scenario): string[] => {
  const soap = s.load.session.soap;
  if (soap?.operation !== 'Echo') throw new Error(`${s.suite.name}: the load does not call Echo`);
  return ['--calls', String(s.load.session.calls), '--op', `echo:${'x'.repeat(s.load.session.payload)}`];
};

// The context the fault plug-ins act with, on this host; notes are kept for the test to read.
export const faultContext = (
  h: SpawnedHost,
  s: Scenario,
  notes: Record<string, unknown>[],
): FaultContext => ({
  target: {
    kind: 'host',
    pid: h.pid,
    pids: async () => descendants(h.pid, await readAllStats()).map((p) => p.pid),
    control: (request) =>
      h.request<Record<string, unknown>>(request as { command: string; [field: string]: unknown }),
    host: '127.0.0.1',
    port: h.port,
    services: s.host.services.map((x) => ({ path: x.path, activationDelayMs: x.activation.delayMs })),
  },
  random: () => 0.5,
  note: (detail) => notes.push(detail),
  // The faults these tests act (recycle, throttle-saturation) stop no process, so there is nothing for a
  // watchdog to undo.
  safeguard: () => () => {},
  signal: new AbortController().signal,
});

// Injects a fault through its plug-in; resolves once injected, with its heal.
export const inject = async (spec: FaultSpec, ctx: FaultContext): Promise<{ heal: () => Promise<void> }> => {
  const fault = FAULTS.get(spec.kind);
  if (fault === undefined) throw new Error(`no fault kind ${spec.kind}`);
  const active = await fault.inject(spec, ctx);
  return { heal: () => fault.heal(active, ctx) };
};
