// A stand-in harness for the lifeline test: starts a network proxy with a watchdog that guards
// nothing, prints the proxy's pid, and waits to be killed. Only the control channel closing can then
// end the proxy.

import type { Watchdog } from '../../harness/target/watchdog.ts';
import { startNetworkProxy } from '../../faults/network/start.ts';
import { spawnGuarded } from '../../harness/target/spawned.ts';

const noWatchdog = { guard: () => () => {} } as unknown as Watchdog;
const proxy = await startNetworkProxy({
  target: { host: '127.0.0.1', port: Number(process.argv[2]) },
  spawn: (argv, o) => spawnGuarded(argv, { ...o, watchdog: noWatchdog }),
});
process.stdout.write(`${JSON.stringify({ proxy: proxy.pid, port: proxy.port })}\n`);
setInterval(() => {}, 60_000);
