import t from 'tap';
import {
  FramingErrorCode,
  type FramingRecord,
  KnownEncoding,
  Mode,
  PreambleReader,
  sessionPreamble,
} from '../../protocol/index.ts';

const feed = (records: FramingRecord[]): { reader: PreambleReader; steps: string[] } => {
  const reader = new PreambleReader();
  return { reader, steps: records.map((r) => reader.accept(r)) };
};

t.test('a duplex preamble reads through to PreambleEnd', async (t) => {
  const { reader, steps } = feed(sessionPreamble('net.tcp://h/a', KnownEncoding.BinarySession));
  t.same(steps, ['more', 'more', 'more', 'encoding', 'done']);
  t.same(reader.preamble, {
    major: 1,
    minor: 0,
    mode: Mode.Duplex,
    via: 'net.tcp://h/a',
    encoding: 8,
    contentType: 'application/soap+msbinsession1',
    upgrades: [],
  });
});

t.test('a content type with no known byte goes as Extensible Encoding', async (t) => {
  const records = sessionPreamble('net.tcp://h/a', 'application/x-custom');
  t.same(records[3], { type: 'extensible-encoding', contentType: 'application/x-custom' });
  t.same(sessionPreamble('net.tcp://h/a', 'application/soap+xml; charset=utf-8')[3], {
    type: 'known-encoding',
    encoding: 3,
  });
});

t.test('upgrade requests are collected before PreambleEnd', async (t) => {
  const records = sessionPreamble('net.tcp://h/a', 8);
  records.splice(4, 0, { type: 'upgrade-request', protocol: 'application/ssl-tls' });
  const { reader, steps } = feed(records);
  t.same(steps, ['more', 'more', 'more', 'encoding', 'more', 'done']);
  t.same(reader.preamble.upgrades, ['application/ssl-tls']);
});

t.test('singleton-sized ends at the encoding record, with no PreambleEnd', async (t) => {
  const records = sessionPreamble('net.tcp://h/a', 8, Mode.SingletonSized);
  t.equal(records.length, 4);
  const { reader, steps } = feed(records);
  t.same(steps, ['more', 'more', 'more', 'encoding']);
  t.equal(reader.done, true);
});

t.test('records out of order are refused without a fault', async (t) => {
  const bad: FramingRecord[][] = [
    [{ type: 'mode', mode: 2 }],
    [
      { type: 'version', major: 1, minor: 0 },
      { type: 'via', via: 'net.tcp://h/' },
    ],
    [{ type: 'version', major: 1, minor: 0 }, { type: 'mode', mode: 2 }, { type: 'end' }],
    [
      ...sessionPreamble('net.tcp://h/a', 8).slice(0, 4),
      { type: 'sized-envelope', payload: new Uint8Array(1) },
    ],
    [...sessionPreamble('net.tcp://h/a', 8), { type: 'preamble-end' }],
  ];
  for (const records of bad) {
    const reader = new PreambleReader();
    const e = t.throws(() => {
      for (const r of records) reader.accept(r);
    });
    t.match(e, { code: FramingErrorCode.UnexpectedRecord, fault: undefined });
  }
});
