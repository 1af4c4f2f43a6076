// Rules that span fields (exactly one target kind, faults that fit the target, expectations that name
// configured checks, loopback only). They read the raw data, defensively, so they are reported in the
// same pass as type errors instead of after them.

import { isLoopbackIp } from '../../clients/loopback.ts';
import { FAULTS } from '../../faults/index.ts';
import { parseDuration } from '../../model/duration.ts';
import { hostBlockProblems } from './host-schema.ts';

export type RawIssue = { path: (string | number)[]; message: string; key?: boolean };

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// The fault kind a raw fault names, if any.
const faultOf = (f: Record<string, unknown>) =>
  typeof f['kind'] === 'string' ? FAULTS.get(f['kind']) : undefined;

// Whether a host name or IP literal is loopback without resolving it.
const loopbackName = (host: string): boolean => host === 'localhost' || isLoopbackIp(host);

export const crossChecks = (raw: unknown): RawIssue[] => {
  if (!isObj(raw)) return [];
  const issues: RawIssue[] = [];
  const allowRemote = raw['allowRemote'] === true;
  const target = raw['target'];
  let targetKind: 'host' | 'command' | undefined;
  if (isObj(target)) {
    const hasHost = target['host'] !== undefined;
    const hasCommand = target['command'] !== undefined;
    if (hasHost && hasCommand) {
      issues.push({ path: ['target'], message: 'expected either host or command, not both' });
    } else if (!hasHost && !hasCommand) {
      issues.push({
        path: ['target'],
        message: 'expected host (the built-in reference host) or command (any program), got neither',
      });
    }
    targetKind = hasHost ? 'host' : hasCommand ? 'command' : undefined;
    if (targetKind === 'host') {
      for (const k of ['port', 'env', 'cwd', 'stop'] as const) {
        if (target[k] !== undefined) {
          issues.push({
            path: ['target', k],
            message: `${k} goes with a command target, not the built-in host`,
            key: true,
          });
        }
      }
      // A service runs a worker or forwards; a forward outside loopback needs both allowRemotes.
      for (const p of hostBlockProblems(target['host']))
        issues.push({ path: ['target', 'host', ...p.path], message: p.message, key: true });
      if (isObj(target['host']) && target['host']['allowRemote'] === true && !allowRemote) {
        issues.push({
          path: ['target', 'host', 'allowRemote'],
          message: 'the host may forward outside loopback only when the suite sets allowRemote: true as well',
        });
      }
      const listen = isObj(target['host']) ? target['host']['listen'] : undefined;
      if (typeof listen === 'string' && !allowRemote) {
        const h = listen.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
        if (!loopbackName(h) && h !== '') {
          issues.push({
            path: ['target', 'host', 'listen'],
            message: `expected a loopback address (127.0.0.0/8 or ::1) unless allowRemote is true, got ${JSON.stringify(listen)}`,
          });
        }
      }
    }
    if (targetKind === 'command') {
      if (target['port'] === undefined) {
        issues.push({
          path: ['target'],
          message: 'expected port (auto, or the port the program listens on) with command',
        });
      }
      const argv = target['command'];
      const env = target['env'];
      const usesPort =
        (Array.isArray(argv) && argv.some((a) => typeof a === 'string' && a.includes('{port}'))) ||
        (isObj(env) && Object.values(env).some((v) => typeof v === 'string' && v.includes('{port}')));
      if (target['port'] === 'auto' && Array.isArray(argv) && !usesPort) {
        issues.push({
          path: ['target', 'command'],
          message:
            'port: auto hands the program a free port as {port}, but no argument or env value contains {port}',
        });
      }
    }
  }
  // Absolute vias must stay on loopback.
  const vias: [(string | number)[], unknown][] = [];
  if (Array.isArray(raw['load']))
    raw['load'].forEach((l, i) => isObj(l) && vias.push([['load', i, 'via'], l['via']]));
  if (isObj(raw['probe'])) vias.push([['probe', 'via'], raw['probe']['via']]);
  for (const [path, v] of vias) {
    if (typeof v !== 'string' || !v.startsWith('net.tcp://') || allowRemote) continue;
    if (!URL.canParse(v)) continue;
    const host = new URL(v).hostname.replace(/^\[|\]$/g, '');
    if (!loopbackName(host)) {
      issues.push({
        path,
        message: `expected a loopback host unless allowRemote is true, got ${JSON.stringify(host)}`,
      });
    }
  }
  // A network fault acts on a proxy in front of the target, which only relative vias go through.
  const faults = raw['faults'];
  if (Array.isArray(faults) && faults.some((f) => isObj(f) && faultOf(f)?.needsProxy === true)) {
    const probeVia = isObj(raw['probe']) ? raw['probe']['via'] : undefined;
    const readyVia = isObj(target) && isObj(target['ready']) ? target['ready']['via'] : undefined;
    const routed: [(string | number)[], unknown][] = [...vias];
    if (probeVia === undefined) routed.push([['target', 'ready', 'via'], readyVia]);
    for (const [path, v] of routed) {
      if (typeof v !== 'string' || v.startsWith('/')) continue;
      issues.push({
        path,
        message: `expected a relative via such as /orders: network faults act on a proxy in front of the target, and only relative vias go through it; got ${JSON.stringify(v)}`,
      });
    }
  }
  // Faults must fit the target.
  if (Array.isArray(raw['faults']) && targetKind !== undefined) {
    raw['faults'].forEach((f, i) => {
      if (!isObj(f) || typeof f['kind'] !== 'string') return;
      const fault = FAULTS.get(f['kind']);
      if (fault?.checkTarget === undefined) return;
      const parsed = fault.schema.safeParse(f);
      if (!parsed.success) return;
      for (const m of fault.checkTarget(parsed.data, targetKind))
        issues.push({ path: ['faults', i], message: m });
    });
  }
  // A fault's path on the host names one of its services.
  const services = isObj(target) && isObj(target['host']) ? target['host']['services'] : undefined;
  if (Array.isArray(raw['faults']) && targetKind === 'host' && Array.isArray(services)) {
    const paths = services.flatMap((s) => (isObj(s) && typeof s['path'] === 'string' ? [s['path']] : []));
    const forwarding = services.flatMap((s) =>
      isObj(s) && typeof s['path'] === 'string' && s['forward'] !== undefined ? [s['path']] : [],
    );
    raw['faults'].forEach((f, i) => {
      if (!isObj(f) || typeof f['path'] !== 'string') return;
      if (!paths.includes(f['path'])) {
        issues.push({
          path: ['faults', i, 'path'],
          message: `expected one of the host's service paths (${paths.join(', ')}), got ${JSON.stringify(f['path'])}`,
        });
      } else if (forwarding.includes(f['path']) && faultOf(f)?.actsOnWorker === true) {
        // A forwarding route has no worker to recycle, burn, slow, stop or kill.
        issues.push({
          path: ['faults', i, 'path'],
          message: `expected a service with a worker: ${f['path']} forwards to an upstream, which a ${String(f['kind'])} fault cannot reach`,
        });
      }
    });
  }
  // A repeating fault ends before it comes again.
  if (Array.isArray(raw['faults'])) {
    raw['faults'].forEach((f, i) => {
      if (!isObj(f) || typeof f['every'] !== 'string' || typeof f['duration'] !== 'string') return;
      const every = parseDuration(f['every']);
      const lasts = parseDuration(f['duration']);
      if (every !== undefined && lasts !== undefined && every <= lasts) {
        issues.push({
          path: ['faults', i, 'every'],
          message: `expected a repeat longer than the fault lasts (duration ${f['duration']}), got ${JSON.stringify(f['every'])}`,
        });
      }
    });
  }
  // Load names are unique; they label reports.
  if (Array.isArray(raw['load'])) {
    const seen = new Map<string, number>();
    raw['load'].forEach((l, i) => {
      if (!isObj(l) || typeof l['name'] !== 'string') return;
      const first = seen.get(l['name']);
      if (first !== undefined) {
        issues.push({
          path: ['load', i, 'name'],
          message: `expected a name no other load has (load[${first}] is ${JSON.stringify(l['name'])})`,
        });
      }
      seen.set(l['name'], i);
    });
  }
  // An expectation names checks the suite configures.
  const expect = raw['expect'];
  if (isObj(expect) && Array.isArray(expect['fail'])) {
    const configured = isObj(raw['checks']) ? Object.keys(raw['checks']) : [];
    expect['fail'].forEach((name, i) => {
      if (typeof name === 'string' && !configured.includes(name)) {
        issues.push({
          path: ['expect', 'fail', i],
          message: `expected one of the suite's checks (${configured.join(', ') || 'none configured'}), got ${JSON.stringify(name)}`,
        });
      }
    });
  }
  return issues;
};
