// Faults fit the suite: each kind's own checkTarget for the target kind, a path that names one of the
// host's services (one with a worker, for faults that act on one), relative vias when a fault needs the
// proxy in front of the target, and a repeat longer than the fault lasts.

import { FAULTS } from '../../../faults/index.ts';
import { parseDuration } from '../../../model/duration.ts';
import { isObj, itemsAt, objAt, type RawIssue, type Rule, targetKindOfRaw, viasOf } from './raw.ts';

// The fault kind a raw fault names, if any.
const faultOf = (f: Record<string, unknown>) =>
  typeof f['kind'] === 'string' ? FAULTS.get(f['kind']) : undefined;

// A fault that needs the proxy acts only on what goes through it: relative vias.
const proxyVias: Rule = (raw) => {
  if (!itemsAt(raw, 'faults').some(([f]) => faultOf(f)?.needsProxy === true)) return [];
  const probeVia = objAt(raw, 'probe')?.['via'];
  const readyVia = objAt(objAt(raw, 'target'), 'ready')?.['via'];
  const routed = [
    ...viasOf(raw),
    ...(probeVia === undefined
      ? [[['target', 'ready', 'via'], readyVia] as [(string | number)[], unknown]]
      : []),
  ];
  return routed.flatMap(([path, v]): RawIssue[] =>
    typeof v !== 'string' || v.startsWith('/')
      ? []
      : [
          {
            path,
            message: `expected a relative via such as /orders: network faults act on a proxy in front of the target, and only relative vias go through it; got ${JSON.stringify(v)}`,
          },
        ],
  );
};

// Each fault kind's own rules for the target kind.
const fitTarget: Rule = (raw) => {
  const kind = targetKindOfRaw(raw);
  if (kind === undefined) return [];
  return itemsAt(raw, 'faults').flatMap(([f, i]) => {
    const fault = faultOf(f);
    if (fault?.checkTarget === undefined) return [];
    const parsed = fault.schema.safeParse(f);
    if (!parsed.success) return [];
    return fault.checkTarget(parsed.data, kind).map((message) => ({ path: ['faults', i], message }));
  });
};

// A fault's path on the host names one of its services, and one with a worker when the fault acts on one.
const hostPaths: Rule = (raw) => {
  if (targetKindOfRaw(raw) !== 'host') return [];
  const services = objAt(objAt(raw, 'target'), 'host')?.['services'];
  if (!Array.isArray(services)) return [];
  const named = services.filter(isObj).filter((s) => typeof s['path'] === 'string');
  const paths = named.map((s) => s['path'] as string);
  const forwarding = named.filter((s) => s['forward'] !== undefined).map((s) => s['path'] as string);
  return itemsAt(raw, 'faults').flatMap(([f, i]): RawIssue[] => {
    const path = f['path'];
    if (typeof path !== 'string') return [];
    if (!paths.includes(path))
      return [
        {
          path: ['faults', i, 'path'],
          message: `expected one of the host's service paths (${paths.join(', ')}), got ${JSON.stringify(path)}`,
        },
      ];
    // A forwarding route has no worker to recycle, burn, slow, stop or kill.
    if (forwarding.includes(path) && faultOf(f)?.actsOnWorker === true)
      return [
        {
          path: ['faults', i, 'path'],
          message: `expected a service with a worker: ${path} forwards to an upstream, which a ${String(f['kind'])} fault cannot reach`,
        },
      ];
    return [];
  });
};

// A repeating fault ends before it comes again.
const repeats: Rule = (raw) =>
  itemsAt(raw, 'faults').flatMap(([f, i]): RawIssue[] => {
    if (typeof f['every'] !== 'string' || typeof f['duration'] !== 'string') return [];
    const every = parseDuration(f['every']);
    const lasts = parseDuration(f['duration']);
    return every !== undefined && lasts !== undefined && every <= lasts
      ? [
          {
            path: ['faults', i, 'every'],
            message: `expected a repeat longer than the fault lasts (duration ${f['duration']}), got ${JSON.stringify(f['every'])}`,
          },
        ]
      : [];
  });

export const faultRules: Rule = (raw) => [
  ...proxyVias(raw),
  ...fitTarget(raw),
  ...hostPaths(raw),
  ...repeats(raw),
];
