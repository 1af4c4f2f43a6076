// network: a toxic on the TCP proxy the run puts in front of the target (Toxiproxy's toxics, names and
// units): latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, on the upstream
// (client -> target) or downstream (target -> client) stream, for a share of connections. Inject adds
// it, heal removes it and notes what it did; the proxy also removes it by itself shortly after its
// duration, so it ends even if the harness stalls, and the proxy dies with the harness.

import * as z from 'zod';
import { fraction, oneOf } from '../model/fields.ts';
import { faultDuration, faultFields } from './common.ts';
import {
  ATTRIBUTE_MAX,
  ATTRIBUTE_NAMES,
  attributeIssues,
  STREAMS,
  TOXIC_ATTRIBUTES,
  TOXIC_TYPES,
  type ToxicType,
} from './network/toxic-spec.ts';
import { NetworkProxyError } from './network/types.ts';
import type { Fault } from './types.ts';

// How long after its duration the proxy removes a toxic the harness has not (its backstop).
export const EXPIRY_MARGIN_MS = 1000;

// Each attribute's field: a whole number in Toxiproxy's unit, described for every toxic that takes it.
const attribute = (key: string) => {
  const what = Object.entries(TOXIC_ATTRIBUTES)
    .flatMap(([type, defs]) => {
      const def = (defs as Record<string, { what: string }>)[key];
      return def === undefined ? [] : [`${type}: ${def.what}`];
    })
    .join('; ');
  const phrase = `a whole number (${what})`;
  return z.int({ error: phrase }).nonnegative({ error: phrase }).max(ATTRIBUTE_MAX, { error: phrase }).meta({
    description: phrase,
  });
};

const schema = z
  .strictObject(
    {
      ...faultFields('network'),
      duration: faultDuration(),
      toxic: oneOf(TOXIC_TYPES, `a toxic: ${TOXIC_TYPES.join(', ')}`),
      stream: oneOf(STREAMS, 'upstream (client to target) or downstream (target to client)').default(
        'downstream',
      ),
      toxicity: fraction('the share of connections affected, from 0 to 1').default(1),
      latency: attribute('latency').optional(),
      jitter: attribute('jitter').optional(),
      rate: attribute('rate').optional(),
      delay: attribute('delay').optional(),
      timeout: attribute('timeout').optional(),
      average_size: attribute('average_size').optional(),
      size_variation: attribute('size_variation').optional(),
      bytes: attribute('bytes').optional(),
    },
    { error: 'a network fault: { at, duration, toxic, its attributes, stream, toxicity }' },
  )
  .superRefine((s, ctx) => {
    const attrs = attributesOf(s);
    for (const i of attributeIssues(s.toxic, attrs)) {
      // A value its field already refused is reported once, by the field.
      const v = attrs[i.key];
      if (i.kind === 'range' && !(Number.isInteger(v) && (v as number) >= 0)) continue;
      ctx.addIssue({ code: 'custom', path: [i.key], message: i.message });
    }
  })
  .meta({
    description: `a toxic on a TCP proxy in front of the target, for a while: { at, duration, toxic (${TOXIC_TYPES.join(', ')}), its attributes with Toxiproxy's names and units, stream, toxicity }`,
  });

export type NetworkSpec = z.output<typeof schema>;

// The attributes a spec sets (Toxiproxy's names), whatever its toxic takes.
const attributesOf = (s: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(ATTRIBUTE_NAMES.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));

// What heal needs: the toxic's name on the proxy (JSON, for the journal).
type Active = { toxic: string; proxy: { host: string; port: number; pid: number } };

const describeAttributes = (type: ToxicType, s: NetworkSpec): string =>
  Object.keys(TOXIC_ATTRIBUTES[type])
    .filter((k) => s[k as keyof NetworkSpec] !== undefined)
    .map((k) => `${k}=${String(s[k as keyof NetworkSpec])}`)
    .join(' ');

export const network = {
  name: 'network',
  needsProxy: true,
  schema,
  describe: (s) => {
    const share = s.toxicity < 1 ? ` on ${Math.round(s.toxicity * 100)}% of connections` : '';
    return `${s.toxic} ${describeAttributes(s.toxic, s)} ${s.stream}${share}`.replace(/ {2,}/g, ' ');
  },
  inject: async (s, ctx) => {
    const proxy = ctx.network;
    if (proxy === undefined || !proxy.running()) {
      throw new NetworkProxyError(
        'no network proxy is in front of the target (the run starts one when the suite has a network fault)',
      );
    }
    const added = await proxy.addToxic({
      type: s.toxic,
      stream: s.stream,
      toxicity: s.toxicity,
      attributes: attributesOf(s) as Record<string, number>,
      seed: Math.floor(ctx.random() * 0x7fffffff),
      expiresInMs: s.duration + EXPIRY_MARGIN_MS,
    });
    ctx.note({
      proxy: `${proxy.host}:${proxy.port}`,
      toxic: added.name,
      openConnectionsAffected: added.applied,
    });
    return { toxic: added.name, proxy: { host: proxy.host, port: proxy.port, pid: proxy.pid } };
  },
  heal: async (a, ctx) => {
    const proxy = ctx.network;
    // A proxy that is gone took its toxics with it: nothing is left to undo.
    if (proxy === undefined || !proxy.running() || proxy.pid !== a.proxy.pid) {
      ctx.note({ toxic: a.toxic, healed: 'the proxy that held it is gone, and the toxic with it' });
      return;
    }
    const r = await proxy.removeToxic(a.toxic);
    ctx.note({ toxic: r.name, ...r.stats, ...(r.expired ? { expiredBeforeHeal: true } : {}) });
  },
} satisfies Fault<typeof schema, Active>;
