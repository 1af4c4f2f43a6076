import fc from 'fast-check';
import t from 'tap';
import {
  ByteWriter,
  isNbfxError,
  NbfxErrorCode,
  SessionReader,
  SessionWriter,
} from '../../../protocol/index.ts';

const hex = (h: string): Uint8Array => Buffer.from(h.replaceAll(' ', ''), 'hex');

t.test('the specification example table gives action id 1 and Inventory id 3', async (t) => {
  const r = new SessionReader();
  const table = hex('11 06 61 63 74 69 6F 6E 09 49 6E 76 65 6E 74 6F 72 79');
  t.equal(r.readTable(table), table.length);
  t.equal(r.resolve(1), 'action');
  t.equal(r.resolve(3), 'Inventory');
  t.equal(r.resolve(2), 'Envelope', 'even ids stay static');
  t.throws(() => r.resolve(5), { code: NbfxErrorCode.UnknownDictionaryString });
});

t.test('a later table continues the odd ids; an empty table adds nothing', async (t) => {
  const r = new SessionReader();
  r.readTable(hex('02 01 61'));
  r.readTable(hex('00'));
  r.readTable(hex('02 01 62'));
  t.equal(r.resolve(1), 'a');
  t.equal(r.resolve(3), 'b');
  t.equal(r.size, 2);
});

t.test('a bad table throws and leaves the session as it was', async (t) => {
  const r = new SessionReader();
  r.readTable(hex('02 01 61'));
  t.throws(() => r.readTable(hex('05 01 62')), { code: NbfxErrorCode.Truncated }, 'size past the end');
  t.throws(() => r.readTable(hex('03 01 62 05')), { code: NbfxErrorCode.Truncated }, 'string past the size');
  t.throws(() => r.readTable(hex('02 01 FF')), { code: NbfxErrorCode.BadString });
  t.equal(r.size, 1);
});

t.test('a peer growing its table past the quota is refused', async (t) => {
  const r = new SessionReader(8);
  r.readTable(hex('04 03 61 62 63'));
  t.throws(() => r.readTable(hex('06 05 61 62 63 64 65')), { code: NbfxErrorCode.SessionQuota });
  t.equal(r.size, 1);
});

t.test('the writer gives new strings the next odd ids and sends each in one table only', async (t) => {
  const w = new SessionWriter();
  t.equal(w.lookup('Envelope', true), 2, 'static strings keep their even ids');
  t.equal(w.lookup('action', true), 1);
  t.equal(w.lookup('Inventory', true), 3);
  t.equal(w.lookup('action', true), 1);
  t.equal(w.lookup('other', false), undefined, 'text does not add');
  const b = new ByteWriter();
  w.takeTable(b);
  t.equal(Buffer.from(b.finish()).toString('hex'), '1106616374696f6e09496e76656e746f7279');
  const b2 = new ByteWriter();
  w.takeTable(b2);
  t.equal(Buffer.from(b2.finish()).toString('hex'), '00');
});

t.test('lastTable names what the last table sent; markSent sends without writing', async (t) => {
  const w = new SessionWriter();
  w.lookup('action', true);
  w.lookup('Inventory', true);
  w.takeTable(new ByteWriter());
  t.same(w.lastTable, ['action', 'Inventory']);
  w.lookup('more', true);
  w.markSent();
  t.same(w.lastTable, ['more'], 'sent in a table written elsewhere');
  t.equal(w.lookup('more', false), 5, 'its id stays');
  const b = new ByteWriter();
  w.takeTable(b);
  t.equal(Buffer.from(b.finish()).toString('hex'), '00', 'and it is not sent again');
  t.same(w.lastTable, []);
});

t.test('dropped strings are forgotten and their ids given again', async (t) => {
  const w = new SessionWriter();
  w.lookup('aa', true);
  w.takeTable(new ByteWriter());
  t.equal(w.lookup('bb', true), 3);
  w.dropPending();
  t.equal(w.lookup('bb', false), undefined);
  t.equal(w.lookup('cc', true), 3);
});

t.test('the writer stops adding at its quota and leaves the rest inline', async (t) => {
  const w = new SessionWriter(10);
  t.equal(w.lookup('abcd', true), 1);
  t.equal(w.lookup('efgh', true), 3);
  t.equal(w.lookup('ijkl', true), undefined);
});

t.test(
  'random bytes as a StringTable only ever throw NbfxError, and a failed table adds nothing',
  async () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const r = new SessionReader(32);
        try {
          r.readTable(b);
        } catch (e) {
          if (!isNbfxError(e)) throw e;
          if (r.size !== 0) throw new Error('a failed table added strings', { cause: e });
        }
      }),
      { numRuns: 3000 },
    );
  },
);
