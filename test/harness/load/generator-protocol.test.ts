import fc from 'fast-check';
import t from 'tap';
import {
  decodeFromGenerator,
  decodeToGenerator,
  encodeMessage,
  type FromGenerator,
  GENERATOR_PROTOCOL,
  type ToGenerator,
} from '../../../harness/load/generator-protocol.ts';

const lat = { count: 0, p50: 0, p90: 0, p99: 0, max: 0, hist: '' };

const fromGenerator: FromGenerator[] = [
  { type: 'hello', protocol: GENERATOR_PROTOCOL, pid: 42, node: 'v24.0.0' },
  {
    type: 'op',
    event: {
      t: 1,
      kind: 'op',
      type: 'fail',
      load: 'a',
      session: 3,
      intended: 0,
      start: 0,
      ms: 1,
      uncorrectedMs: 1,
      calls: 0,
    },
  },
  {
    type: 'window',
    seq: 7,
    samples: [
      {
        t: 1,
        kind: 'sample',
        source: 'load',
        load: 'a',
        windowMs: 500,
        started: 1,
        ok: 1,
        failed: {},
        dropped: 0,
        active: 0,
        calls: { ok: 1, failed: 0 },
        latency: { corrected: lat, uncorrected: lat, call: lat },
      },
    ],
    health: { lagP99Ms: 1, lagMaxMs: 2, cpuPercent: 3, rssBytes: 4 },
  },
  { type: 'done' },
  { type: 'stopped' },
  { type: 'error', message: 'x' },
];

const toGenerator: ToGenerator[] = [
  {
    op: 'start',
    loads: [],
    target: { host: '127.0.0.1', port: 808 },
    seed: 1,
    allowRemote: false,
    segment: { index: 1, count: 2 },
    t: 100,
  },
  { op: 'window', seq: 1 },
  { op: 'stop', drainMs: 0 },
];

t.test('every message reads back as itself from its line', async (t) => {
  for (const m of fromGenerator) t.same(decodeFromGenerator(encodeMessage(m).trimEnd()), m);
  for (const m of toGenerator) t.same(decodeToGenerator(encodeMessage(m).trimEnd()), m);
});

t.test('a line that is no message is undefined, never a throw', async (t) => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      ),
      (line) => {
        const a = decodeFromGenerator(line);
        const b = decodeToGenerator(line);
        return (
          (a === undefined || typeof a.type === 'string') && (b === undefined || typeof b.op === 'string')
        );
      },
    ),
    { numRuns: 3000 },
  );
  t.equal(decodeFromGenerator('listening on 80'), undefined, 'stray output');
  t.equal(decodeFromGenerator('{"type":"window","seq":1,"samples":[],"health":{}}'), undefined, 'no health');
  t.equal(
    decodeToGenerator(
      '{"op":"start","loads":[],"target":{"host":"127.0.0.1","port":808},"seed":1,"allowRemote":false,"t":0,"segment":{"index":2,"count":2}}',
    ),
    undefined,
    'a segment past the split',
  );
});

t.test('a message cut anywhere reads as nothing rather than as another message', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...fromGenerator), fc.nat(), (m, at) => {
      const line = encodeMessage(m).trimEnd();
      const cut = at % line.length;
      return cut === 0 || decodeFromGenerator(line.slice(0, cut)) === undefined;
    }),
  );
  t.pass();
});
