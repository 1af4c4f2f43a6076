import fc from 'fast-check';
import t from 'tap';
import {
  ControlProtocolError,
  idOf,
  line,
  parseMessage,
  parseRequest,
  parseResult,
} from '../../faults/network/control-protocol.ts';
import {
  ATTRIBUTE_MAX,
  attributeIssues,
  STREAMS,
  TOXIC_ATTRIBUTES,
  TOXIC_TYPES,
  withDefaults,
} from '../../faults/network/toxic-spec.ts';
import { sliceSizes } from '../../faults/network/toxics/slicer.ts';

// A toxic the proxy must accept: every attribute its type takes, within range.
const validToxic = fc
  .constantFrom(...TOXIC_TYPES)
  .chain((type) =>
    fc.record({
      type: fc.constant(type),
      stream: fc.constantFrom(...STREAMS),
      toxicity: fc.double({ min: 0, max: 1, noNaN: true }),
      attributes: fc.record(
        Object.fromEntries(
          Object.entries(TOXIC_ATTRIBUTES[type]).map(([k, def]) => [
            k,
            fc.integer({ min: (def as { min?: number }).min ?? 0, max: 100_000 }),
          ]),
        ),
      ),
      seed: fc.integer(),
    }),
  )
  .map((toxic) => {
    // slicer: the variation stays below the average.
    const a = toxic.attributes;
    if (toxic.type === 'slicer') a['size_variation'] = a['size_variation']! % a['average_size']!;
    return toxic;
  });

t.test('parseRequest accepts every well-formed request and gives it back unchanged', async () => {
  fc.assert(
    fc.property(fc.nat(), validToxic, (id, toxic) => {
      const add = { id, op: 'add', toxic };
      const parsed = parseRequest(line(add).trimEnd());
      if (JSON.stringify(parsed) !== JSON.stringify(add)) throw new Error(`changed: ${line(parsed)}`);
      const remove = { id, op: 'remove', name: `${toxic.type}_${toxic.stream}` };
      if (JSON.stringify(parseRequest(JSON.stringify(remove))) !== JSON.stringify(remove)) throw new Error();
    }),
  );
});

t.test('parseRequest refuses anything else with ControlProtocolError, never another error', async () => {
  const anything = fc.oneof(
    fc.string(),
    fc.json(),
    fc.jsonValue().map((v) => JSON.stringify({ id: 1, op: 'add', toxic: v })),
    validToxic.chain((toxic) =>
      fc.record({ key: fc.string(), value: fc.jsonValue() }).map(({ key, value }) =>
        JSON.stringify({
          id: 2,
          op: 'add',
          toxic: { ...toxic, attributes: { ...toxic.attributes, [key]: value } },
        }),
      ),
    ),
  );
  fc.assert(
    fc.property(anything, (text) => {
      try {
        parseRequest(text);
      } catch (e) {
        if (!(e instanceof ControlProtocolError)) throw e;
      }
    }),
  );
});

t.test('a bad request names what is wrong, and idOf still finds the id to answer', async (t) => {
  const text = JSON.stringify({
    id: 9,
    op: 'add',
    toxic: { type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: -1 }, seed: 1 },
  });
  t.throws(() => parseRequest(text), {
    name: 'ControlProtocolError',
    code: 'FAULT_PROXY_CONTROL',
    message:
      'bad request: toxic.attributes.latency: expected a whole number from 0 (milliseconds added to each chunk of data)',
  });
  t.equal(idOf(text), 9);
  t.equal(idOf('{"id":-1}'), undefined);
  t.equal(idOf('not json'), undefined);
  t.throws(() => parseRequest('{'), /expected a JSON line, got "\{"/);
});

t.test(
  'parseMessage reads what the proxy sends and refuses the rest with ControlProtocolError',
  async (t) => {
    t.match(parseMessage('{"event":"ready","token":"ab","port":4000,"pid":12}'), {
      event: 'ready',
      port: 4000,
    });
    t.match(parseMessage('{"id":3,"ok":false,"error":"no"}'), { id: 3, ok: false });
    t.throws(() => parseResult('add', { name: 'x' }), /bad add answer from the proxy: applied/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseMessage(text);
        } catch (e) {
          if (!(e instanceof ControlProtocolError)) throw e;
        }
      }),
    );
  },
);

t.test(
  'attribute issues: none for a valid toxic; otherwise each names an attribute given or required',
  async () => {
    fc.assert(fc.property(validToxic, (toxic) => attributeIssues(toxic.type, toxic.attributes).length === 0));
    fc.assert(
      fc.property(
        fc.constantFrom(...TOXIC_TYPES),
        fc.dictionary(
          fc.constantFrom(
            'latency',
            'jitter',
            'rate',
            'delay',
            'timeout',
            'average_size',
            'size_variation',
            'bytes',
            'x',
          ),
          fc.oneof(fc.integer({ min: -5, max: ATTRIBUTE_MAX + 5 }), fc.double(), fc.string()),
        ),
        (type, attrs) => {
          const defs = TOXIC_ATTRIBUTES[type] as Record<string, unknown>;
          for (const i of attributeIssues(type, attrs))
            if (!(i.key in attrs) && !(i.key in defs)) return false;
          // With no issue, every attribute the stage reads is a number.
          if (attributeIssues(type, attrs).length > 0) return true;
          return Object.values(withDefaults(type, attrs)).every((v) => Number.isInteger(v) && v >= 0);
        },
      ),
    );
  },
);

t.test('slicer slices add up to the chunk, each within average +/- variation but the last', async () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 20_000 }),
      fc
        .integer({ min: 1, max: 2000 })
        .chain((avg) => fc.tuple(fc.constant(avg), fc.integer({ min: 0, max: avg - 1 }))),
      fc.integer(),
      (length, [avg, variation], seed) => {
        let x = seed;
        // A small LCG: reproducible numbers in [0, 1).
        const random = () => ((x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
        const sizes = sliceSizes(length, avg, variation, random);
        if (sizes.reduce((a, b) => a + b, 0) !== length) return false;
        return sizes.every(
          (s, i) => s >= 1 && s <= avg + variation && (i === sizes.length - 1 || s >= avg - variation),
        );
      },
    ),
  );
});
