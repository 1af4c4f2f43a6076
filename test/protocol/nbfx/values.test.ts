import t from 'tap';
import { guidFromBytes, guidToBytes, type NbfxText, textToString } from '../../../protocol/index.ts';

const s = (x: NbfxText): string => textToString(x, (id) => `str${id}`);

t.test('floating point reads as .NET writes it: shortest round trip, INF, NaN, -0, E notation', async (t) => {
  t.equal(s({ t: 'double', v: 0.1 }), '0.1');
  t.equal(s({ t: 'double', v: -0 }), '-0');
  t.equal(s({ t: 'double', v: Infinity }), 'INF');
  t.equal(s({ t: 'double', v: -Infinity }), '-INF');
  t.equal(s({ t: 'double', v: NaN }), 'NaN');
  t.equal(s({ t: 'double', v: 1e21 }), '1E+21');
  t.equal(s({ t: 'double', v: 1.5e-7 }), '1.5E-07');
  t.equal(s({ t: 'float', v: Math.fround(1.1) }), '1.1');
  t.equal(s({ t: 'float', v: Math.fround(16777216) }), '16777216');
});

t.test('decimals keep their scale and sign', async (t) => {
  const dec = (scale: number, neg: boolean, lo: number): NbfxText => {
    const b = new Uint8Array(16);
    b[2] = scale;
    b[3] = neg ? 0x80 : 0;
    new DataView(b.buffer).setUint32(8, lo, true);
    return { t: 'decimal', bytes: b };
  };
  t.equal(s(dec(2, false, 150)), '1.50');
  t.equal(s(dec(3, true, 5)), '-0.005');
  t.equal(s(dec(0, true, 0)), '0', 'negative zero reads as 0');
});

t.test('DateTime and TimeSpan read as XmlConvert writes them', async (t) => {
  const ticks = (iso: string): bigint => (BigInt(Date.parse(iso)) + 62135596800000n) * 10000n;
  t.equal(s({ t: 'datetime', v: ticks('2006-05-17T00:00:00Z') }), '2006-05-17T00:00:00');
  t.equal(
    s({ t: 'datetime', v: (1n << 62n) | (ticks('2020-01-02T03:04:05.678Z') + 9n) }),
    '2020-01-02T03:04:05.6780009Z',
  );
  t.equal(s({ t: 'datetime', v: 0n }), '0001-01-01T00:00:00');
  t.match(
    s({ t: 'datetime', v: (2n << 62n) | ticks('2020-01-02T03:04:05Z') }),
    /^2020-01-02T03:04:05[+-]\d\d:\d\d$/,
  );
  t.equal(s({ t: 'timespan', v: 0n }), 'PT0S');
  t.equal(s({ t: 'timespan', v: 864000000000n + 15000000n }), 'P1DT1.5S');
  t.equal(s({ t: 'timespan', v: -3440000000n }), '-PT5M44S');
});

t.test('GUIDs lay out Data1-3 little-endian', async (t) => {
  const g = '33221100-5544-7766-8899-aabbccddeeff';
  const b = guidToBytes(g);
  t.equal(Buffer.from(b).toString('hex'), '00112233445566778899aabbccddeeff');
  t.equal(guidFromBytes(b), g);
  t.equal(s({ t: 'unique-id', v: g }), `urn:uuid:${g}`);
});

t.test('lists join their items with single spaces; QNames take their prefix letter', async (t) => {
  t.equal(s({ t: 'list', items: [{ t: 'int8', v: 1 }, { t: 'true' }, { t: 'chars8', v: 'x' }] }), '1 true x');
  t.equal(s({ t: 'qname', prefix: 'b', id: 8 }), 'b:str8');
  t.equal(s({ t: 'bytes8', v: Uint8Array.of(0xff) }), '/w==');
});
