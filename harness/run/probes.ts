// The run's listener probes, one per load client that reaches a listener: the one the suite's probe block
// names for it (probe.via for net.tcp, probe.url for HTTP), else its first load's (net.tcp: the target's
// ready via first).

import { CLIENTS } from '../load/clients/index.ts';
import type { ListenerProbe, LoadTarget } from '../load/clients/types.ts';
import type { ParsedSuite } from '../suite/schema.ts';

export const listenerProbes = (suite: ParsedSuite, target: LoadTarget): ListenerProbe[] => {
  const env = { target, calls: suite.probe.calls, allowRemote: suite.allowRemote, loads: suite.load };
  return [...CLIENTS.values()].flatMap((c) => {
    const address = c.probeAddress(suite);
    return address === undefined ? [] : [c.prober(address, env)];
  });
};
