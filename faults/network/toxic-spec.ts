// The toxics, with Toxiproxy's names, attributes and units: which attributes each takes, what they
// mean, their defaults; a toxic as the proxy receives it, and what it counts while it acts.

// Toxic types, as Toxiproxy names them.
export const TOXIC_TYPES = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

// upstream: client -> target; downstream: target -> client (Toxiproxy's default).
export const STREAMS = ['upstream', 'downstream'] as const;
export type Stream = (typeof STREAMS)[number];

// The largest attribute value: Node's timers hold at most 2^31-1 ms.
export const ATTRIBUTE_MAX = 2_147_483_647;

type AttributeDef = { what: string; default?: number; min?: number };

// Each toxic's attributes: what they mean (with Toxiproxy's unit), default when optional, lowest value.
export const TOXIC_ATTRIBUTES = {
  latency: {
    latency: { what: 'milliseconds added to each chunk of data' },
    jitter: { what: 'milliseconds of random variation either side of latency', default: 0 },
  },
  bandwidth: { rate: { what: 'kilobytes per second let through (1 KB = 1000 bytes)', min: 1 } },
  slow_close: { delay: { what: 'milliseconds the close is held back' } },
  timeout: {
    timeout: { what: 'milliseconds until the connection is closed (0: never); no data passes meanwhile' },
  },
  reset_peer: {
    timeout: {
      what: 'milliseconds from the first data until the connection is reset (0: at once)',
      default: 0,
    },
  },
  slicer: {
    average_size: { what: 'the average slice in bytes', min: 1 },
    size_variation: { what: 'bytes a slice may vary either side of average_size', default: 0 },
    delay: { what: 'microseconds between slices', default: 0 },
  },
  limit_data: { bytes: { what: 'bytes let through before the connection is closed' } },
} as const satisfies Record<ToxicType, Record<string, AttributeDef>>;

// Every attribute name any toxic takes.
export const ATTRIBUTE_NAMES = [
  ...new Set(Object.values(TOXIC_ATTRIBUTES).flatMap((a) => Object.keys(a))),
] as readonly string[];

const attributesOf = (type: ToxicType): Record<string, AttributeDef> => TOXIC_ATTRIBUTES[type];

// A problem with one attribute, in the suite's error words (read after "expected"): not taken by this
// toxic, missing, out of range, or at odds with another attribute.
export type AttributeIssue = {
  key: string;
  message: string;
  kind: 'unknown' | 'missing' | 'range' | 'relation';
};

// What is wrong with a toxic's attributes (empty when fine): unknown for this type, missing, out of
// range, or (slicer) a variation as large as the average.
export const attributeIssues = (type: ToxicType, attrs: Record<string, unknown>): AttributeIssue[] => {
  const defs = attributesOf(type);
  const takes = Object.keys(defs).join(', ');
  const issues: AttributeIssue[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const def = defs[key];
    if (def === undefined) {
      issues.push({ key, kind: 'unknown', message: `no ${key} on a ${type} toxic (it takes ${takes})` });
      continue;
    }
    const min = def.min ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > ATTRIBUTE_MAX) {
      issues.push({ key, kind: 'range', message: `a whole number from ${min} (${def.what})` });
    }
  }
  for (const [key, def] of Object.entries(defs)) {
    if (def.default === undefined && attrs[key] === undefined) {
      issues.push({ key, kind: 'missing', message: `${key} (${def.what}) on a ${type} toxic` });
    }
  }
  if (type === 'slicer') {
    const avg = attrs['average_size'];
    const variation = attrs['size_variation'];
    if (typeof avg === 'number' && typeof variation === 'number' && variation >= avg) {
      issues.push({
        key: 'size_variation',
        kind: 'relation',
        message: `a size_variation smaller than average_size (${avg})`,
      });
    }
  }
  return issues;
};

// A toxic's attributes with defaults filled in, and only the ones its type takes.
export const withDefaults = (type: ToxicType, attrs: Record<string, unknown>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [key, def] of Object.entries(attributesOf(type))) {
    const v = attrs[key];
    out[key] = typeof v === 'number' ? v : def.default!;
  }
  return out;
};

// A toxic as the proxy is asked to add it.
export type ToxicSpec = {
  type: ToxicType;
  stream: Stream;
  // The share of connections it acts on, 0..1, drawn per connection from `seed`.
  toxicity: number;
  attributes: Record<string, number>;
  // Seeds the toxicity draws and the toxic's own randomness (jitter, slice sizes).
  seed: number;
  // The proxy removes the toxic by itself after this long, whatever the harness does.
  expiresInMs?: number;
};

// What a toxic did, summed over the connections it acted on.
export type ToxicStats = {
  // Connections it acted on, and those the toxicity draw left alone.
  connections: number;
  spared: number;
  // Bytes it passed on (delayed, throttled, sliced or counted) and bytes it swallowed.
  bytes: number;
  dropped: number;
  // Writes it made of the bytes it passed on (slicer and bandwidth cut data into pieces).
  chunks: number;
  // The longest a byte was held back (latency, bandwidth, slicer), in ms.
  maxDelayMs: number;
  // Connections it closed (FIN both ways), reset (RST both ways), or whose close it held back.
  closes: number;
  resets: number;
  delayedCloses: number;
};

// Counters at zero.
export const emptyStats = (): ToxicStats => ({
  connections: 0,
  spared: 0,
  bytes: 0,
  dropped: 0,
  chunks: 0,
  maxDelayMs: 0,
  closes: 0,
  resets: 0,
  delayedCloses: 0,
});
