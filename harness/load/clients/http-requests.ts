// Runs one HTTP load: the engine (clients/http, autocannon underneath) follows the load model's schedule,
// records every request into the load's stats (its LoadSample windows, as for net.tcp) and appends each as
// an op (one request is one session of one call).

import { type HttpLoad, type HttpOp, startHttpLoad } from '../../../clients/http/index.ts';
import { httpRequestOf, httpUrlOf, type HttpRequestFields } from './http-address.ts';
import type { ClientContext, ClientLoad } from './types.ts';

export type HttpLoadFields = HttpRequestFields & {
  connections?: number | undefined;
  pipelining: number;
  timeout: number;
};

export const startRequests = (spec: HttpLoadFields, ctx: ClientContext): ClientLoad => {
  const req = httpRequestOf(spec, {
    url: httpUrlOf(spec.url, ctx.target),
    name: ctx.name,
    seed: ctx.seed,
    timeoutMs: spec.timeout,
    allowRemote: ctx.allowRemote,
  });
  const onOp = (o: HttpOp): void =>
    ctx.op({
      t: o.end,
      kind: 'op',
      type: o.type,
      load: ctx.name,
      session: o.id,
      intended: o.intended,
      start: o.start,
      ms: o.ms,
      uncorrectedMs: o.uncorrectedMs,
      calls: 1,
      ...(o.failure === undefined ? {} : { failure: o.failure }),
    });
  let stopped = false;
  let wake: (() => void) | undefined;
  // The engine starts at the load's startAt (or not at all, when load stops before).
  const started: Promise<HttpLoad | undefined> = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ctx.start - ctx.now()));
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  }).then(() =>
    stopped
      ? undefined
      : startHttpLoad(
          {
            ...req,
            model: 'schedule',
            schedule: ctx.schedule,
            pipelining: spec.pipelining,
            ...(spec.connections === undefined ? {} : { connections: spec.connections }),
          },
          { recorder: ctx.stats, onOp, now: () => ctx.now() },
        ),
  );
  let stopping: Promise<void> | undefined;
  return {
    done: started.then((l) => l?.done),
    stop: (drainMs) => {
      stopped = true;
      wake?.();
      // The engine's stop keeps its first drain; a second stop with none cuts it short.
      const stop = async (): Promise<void> => {
        await (await started)?.stop(drainMs);
      };
      if (stopping !== undefined && drainMs > 0) return stopping;
      stopping = stop();
      return stopping;
    },
  };
};
