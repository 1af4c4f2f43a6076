// The captured WCF session's envelopes: each Sized Envelope's payload, in order, with its direction.

import { wcfBinarySession } from '../../fixtures/wcf-binary-session.ts';

export type CapturedEnvelope = { dir: 'c>s' | 's>c'; payload: Uint8Array };

export const capturedEnvelopes: readonly CapturedEnvelope[] = wcfBinarySession
  .filter((w) => w.hex.startsWith('06') && w.hex.length > 10)
  .map((w) => {
    const b = Buffer.from(w.hex, 'hex');
    let o = 1;
    while ((b[o]! & 0x80) !== 0) o++;
    return { dir: w.dir, payload: new Uint8Array(b.subarray(o + 1)) };
  });

// The MessageIDs the captured client sent, in order.
export const capturedMessageIds = [
  'urn:uuid:5eb6df4b-aefd-457f-bbfa-26446daf42e0',
  'urn:uuid:c62313b1-adb1-4ad9-ad77-18ed0d06f54a',
];

// The address the captured client called.
export const capturedTo = 'net.tcp://192.168.56.1:8523/Service1';
