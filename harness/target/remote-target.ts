// A remote target (`target.remote`): a service the harness neither starts nor stops, known by its
// net.tcp URLs. Relative vias resolve against the first URL's host and port; its address is resolved
// once, through the loopback guard. It has no local process: faults that need one are refused when the
// suite is validated, and it is observed through exporters, not /proc.

import { resolveHost } from '../../clients/loopback.ts';
import { RemoteTargetError } from '../../clients/loopback.ts';
import type { RunningTarget } from './types.ts';
import { TargetStartError } from '../errors.ts';

export const startRemoteTarget = async (
  spec: { url: readonly string[] },
  o: { allowRemote: boolean },
): Promise<RunningTarget> => {
  const first = new URL(spec.url[0]!);
  const host = first.hostname.replace(/^\[|\]$/g, '');
  const port = first.port === '' ? 808 : Number(first.port);
  let ip: string;
  try {
    ip = await resolveHost(host, o.allowRemote);
  } catch (e) {
    if (e instanceof RemoteTargetError) throw new TargetStartError(e.message, { cause: e });
    throw new TargetStartError(`the remote target ${host} cannot be resolved: ${(e as Error).message}`, {
      cause: e,
    });
  }
  let resolveExited!: (x: { code: null; signal: null }) => void;
  const exited = new Promise<{ code: null; signal: null }>((r) => (resolveExited = r));
  return {
    kind: 'remote',
    host,
    ip,
    port,
    urls: [...spec.url],
    pids: () => Promise.resolve([]),
    role: () => 'remote',
    exited,
    // The harness cannot see it stop; the probe and the observers tell how it does.
    running: () => true,
    lastLines: () => [],
    // Not the harness's to stop.
    stop: () => {
      resolveExited({ code: null, signal: null });
      return Promise.resolve();
    },
  };
};
