import t from 'tap';
import { NBFS_STRINGS, staticId, staticString } from '../../../protocol/index.ts';

t.test('the static dictionary holds the 487 strings of ids 0x00 to 0x3CC, each once', async (t) => {
  t.equal(NBFS_STRINGS.length, 0x3cc / 2 + 1);
  t.equal(new Set(NBFS_STRINGS).size, NBFS_STRINGS.length);
});

t.test('ids map to the strings the specification lists', async (t) => {
  const spot: [number, string][] = [
    [0x00, 'mustUnderstand'],
    [0x04, 'http://www.w3.org/2003/05/soap-envelope'],
    [0x14, 'http://www.w3.org/2005/08/addressing/anonymous'],
    [0x1a, 'MessageID'],
    [0x86, 'Fault'],
    [0x100, 'BadContextToken'],
    [0x184, 'AUTH-HASH'],
    [0x200, 'Attribute'],
    [0x2b4, 'r'],
    [0x300, 'http://schemas.xmlsoap.org/ws/2004/10/wsat/Completion'],
    [0x354, 'http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics'],
    [0x3a0, 'anyURI'],
    [0x3cc, 'detail'],
  ];
  for (const [id, s] of spot) {
    t.equal(staticString(id), s, `0x${id.toString(16)}`);
    t.equal(staticId(s), id, s);
  }
});

t.test('odd and out-of-range ids have no static string', async (t) => {
  t.equal(staticString(1), undefined);
  t.equal(staticString(0x3ce), undefined);
  t.equal(staticId('no such string'), undefined);
});
