import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import {
  isNbfxError,
  NbfxErrorCode,
  readRecords,
  SessionReader,
  writeRecords,
} from '../../../protocol/index.ts';
import { capturedEnvelopes } from '../soap/captured.ts';
import { recordArb } from './arbitraries.ts';

const envelopes = capturedEnvelopes;

t.test('the records of every captured WCF envelope write back byte for byte', async (t) => {
  for (const [i, e] of envelopes.entries()) {
    const start = new SessionReader().readTable(e.payload);
    const doc = e.payload.subarray(start);
    t.equal(
      Buffer.from(writeRecords(readRecords(doc))).toString('hex'),
      Buffer.from(doc).toString('hex'),
      `envelope ${i} (${e.dir})`,
    );
  }
});

t.test('any records read back as themselves after writing', async () => {
  fc.assert(
    fc.property(fc.array(recordArb, { maxLength: 12 }), (records) => {
      const back = readRecords(writeRecords(records));
      // structuredClone: fast-check builds null-prototype objects, the reader plain ones.
      return isDeepStrictEqual(back, structuredClone(records));
    }),
    { numRuns: 2000 },
  );
});

t.test('the shortest record form is chosen for each prefix', async (t) => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  t.equal(hex(writeRecords([{ kind: 'element', prefix: '', name: 'a' }])), '400161');
  t.equal(hex(writeRecords([{ kind: 'element', prefix: 's', name: { dict: 2 } }])), '5602');
  t.equal(hex(writeRecords([{ kind: 'element', prefix: 'pre', name: { dict: 14 } }])), '4303707265' + '0e');
  t.equal(
    hex(writeRecords([{ kind: 'attribute', prefix: 's', name: { dict: 0 }, value: { t: 'one' } }])),
    '1e0082',
  );
  t.equal(hex(writeRecords([{ kind: 'xmlns', prefix: 'a', uri: { dict: 6 } }])), '0b016106');
  t.equal(hex(writeRecords([{ kind: 'text', value: { t: 'dict', id: 1 }, end: true }])), 'ab01');
});

t.test('what the format cannot carry throws NBFX_UNENCODABLE', async (t) => {
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      return isNbfxError(e) ? e.code : String(e);
    }
  };
  t.equal(
    code(() => writeRecords([{ kind: 'text', value: { t: 'chars8', v: 'x'.repeat(256) }, end: false }])),
    NbfxErrorCode.Unencodable,
  );
  t.equal(
    code(() => writeRecords([{ kind: 'element', prefix: '', name: '' }])),
    NbfxErrorCode.Unencodable,
  );
  t.equal(
    code(() => writeRecords([{ kind: 'text', value: { t: 'qname', prefix: 'ab', id: 1 }, end: false }])),
    NbfxErrorCode.Unencodable,
  );
  t.equal(
    code(() => writeRecords([{ kind: 'text', value: { t: 'dict', id: -1 }, end: false }])),
    NbfxErrorCode.Unencodable,
  );
  t.equal(
    code(() => writeRecords([{ kind: 'text', value: { t: 'list', items: [] }, end: true }])),
    NbfxErrorCode.Unencodable,
  );
  t.equal(
    code(() => writeRecords([{ kind: 'text', value: { t: 'uuid', v: 'not-a-guid' }, end: false }])),
    NbfxErrorCode.Unencodable,
  );
});
