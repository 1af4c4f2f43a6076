import t from 'tap';
import { FAULT_NAMES, FAULT_URI_PREFIX, faultNameOf, faultUri } from '../../protocol/index.ts';

t.test('every fault name maps to its URI and back', async (t) => {
  t.equal(FAULT_NAMES.length, 12);
  for (const name of FAULT_NAMES) {
    t.equal(faultUri(name), `http://schemas.microsoft.com/ws/2006/05/framing/faults/${name}`);
    t.equal(faultNameOf(faultUri(name)), name);
  }
});

t.test('URIs outside the framing namespace have no name', async (t) => {
  t.equal(faultNameOf('http://example.invalid/faults/EndpointNotFound'), undefined);
  t.equal(faultNameOf(`${FAULT_URI_PREFIX}NoSuchFault`), undefined);
  t.equal(faultNameOf(''), undefined);
});
