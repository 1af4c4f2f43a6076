// The control commands, run against the host's routes (the control channel and RunningHost.command).

import type { ControlRequest } from './control/requests.ts';
import { HostError, HostErrorCode } from './errors.ts';
import type { EventSink } from './events.ts';
import { ForwardRoute } from './listener/forward-route.ts';
import type { Route } from './listener/route.ts';
import type { RecycleResult, ServiceRoute } from './listener/service-route.ts';
import type { HostStatus } from './status.ts';

// How long a command that needs a worker's answer waits for it.
const WORKER_ANSWER_MS = 5000;

export type CommandContext = {
  routes: Route[];
  routeOf: (path: string) => Route;
  status: () => Promise<HostStatus>;
  events: EventSink;
};

// The route of a command that acts on workers; a forwarding route has none.
const workerRoute = (r: Route, command: string): ServiceRoute => {
  if (r instanceof ForwardRoute)
    throw new HostError(
      HostErrorCode.Forwarding,
      `${r.path} forwards to ${r.forward.to} and has no worker to ${command}`,
    );
  return r;
};

export const runCommand = async (req: ControlRequest, c: CommandContext): Promise<unknown> => {
  if (req.command === 'status') return c.status();
  if (req.command === 'recycle') {
    // Without a path, every service with workers, one after the other (forwarding routes have none).
    const targets =
      req.path === undefined
        ? c.routes.filter((r): r is ServiceRoute => !(r instanceof ForwardRoute))
        : [workerRoute(c.routeOf(req.path), 'recycle')];
    c.events({
      event: 'control',
      command: 'recycle',
      ...(req.path === undefined ? {} : { path: req.path }),
      mode: req.mode ?? 'overlapped',
    });
    const recycled: RecycleResult[] = [];
    for (const r of targets) recycled.push(await r.recycle(req.mode ?? 'overlapped'));
    return { recycled };
  }
  const { command, path } = req;
  if (command === 'pause' || command === 'resume') {
    const route = c.routeOf(path);
    if (command === 'pause') route.pause();
    else route.resume();
    c.events({ event: 'control', command, path });
    return { path, paused: command === 'pause' };
  }
  const route = workerRoute(c.routeOf(path), command);
  switch (req.command) {
    case 'set-activation-delay': {
      const once = req.once ?? false;
      route.setActivationDelay(req.ms, once);
      c.events({ event: 'control', command, path, ms: req.ms, once });
      return { path, ms: req.ms, once };
    }
    case 'set-latency':
      route.setLatency(req.operation, req.ms);
      c.events({ event: 'control', command, path, operation: req.operation, ms: req.ms });
      return { path, operation: req.operation, ms: req.ms };
    case 'fail-activation': {
      const count = req.count ?? 1;
      route.failActivations(count);
      c.events({ event: 'control', command, path, count });
      return { path, count };
    }
    case 'burn': {
      const w = route.target();
      c.events({ event: 'control', command, path, pid: w.pid, ms: req.ms });
      // Answered once the worker has begun (it replies, then blocks).
      return w.request({ type: 'burn', ms: req.ms }, WORKER_ANSWER_MS);
    }
    case 'direct':
      return route.target().request({ type: 'direct' }, WORKER_ANSWER_MS);
  }
};
