// Network faults act on a TCP proxy in front of the target: started once the target is ready (readiness
// was probed straight), so load and the run's probe go through it. A proxy that cannot start makes the
// run invalid.

import { FAULTS } from '../../faults/index.ts';
import { startNetworkProxy } from '../../faults/network/start.ts';
import { type NetworkProxy, NetworkProxyError } from '../../faults/network/types.ts';
import { INVALID } from '../../model/result.ts';
import { spawnGuarded } from '../target/spawned.ts';
import type { RunningTarget } from '../target/types.ts';
import { invalidate, log, onStop, type RunContext } from './context.ts';

// Starts the proxy when a fault needs one; false when it was needed and could not start.
export const startProxy = async (ctx: RunContext, target: RunningTarget): Promise<boolean> => {
  if (!ctx.suite.faults.some((f) => FAULTS.get(f.kind)?.needsProxy === true)) return true;
  let proxy: NetworkProxy;
  try {
    proxy = await startNetworkProxy({
      target: { host: target.ip ?? target.host, port: target.port },
      spawn: (argv, so) => spawnGuarded(argv, { ...so, watchdog: ctx.watchdog }),
      onLine: (line, stream) => log(ctx, stream === 'stderr' ? 'warn' : 'info', `network proxy: ${line}`),
      onExpired: (r) => log(ctx, 'warn', `network toxic ${r.name} expired on its own before its heal`, r),
    });
  } catch (e) {
    if (!(e instanceof NetworkProxyError)) throw e;
    invalidate(ctx, INVALID.ProxyStart, e.message);
    return false;
  }
  ctx.proxy = proxy;
  onStop(ctx, () => proxy.stop());
  log(ctx, 'info', `network proxy in front of the target on ${proxy.host}:${proxy.port}`, {
    pid: proxy.pid,
    host: proxy.host,
    port: proxy.port,
  });
  return true;
};
