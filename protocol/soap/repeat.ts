// Requests that repeat, encoded once. A load sends the same call in session after session, and each of its
// sessions' messages is, byte for byte, what the same message of the previous session was, but for the
// MessageID: in the binary session encoding the first message of a session carries the StringTable that
// its fresh writer builds (the same every time) and the later ones refer to it (the same every time too);
// in SOAP 1.2 text every message is the same. A RepeatedRequests, shared by the codecs of a load's
// sessions, keeps both forms of each call with where its MessageID sits; a codec then copies the bytes and
// writes a fresh MessageID into them instead of building and encoding the envelope again.

import { randomFillSync } from 'node:crypto';

// An encoded request whose MessageID can be replaced: `at` is where its 16 GUID bytes (binary, in the
// UniqueIdText record's byte order) or its 36 GUID characters (text) start. `strings`: what the message adds
// to the writer's session (its StringTable), for the writer to add too.
export type RequestTemplate = {
  bytes: Uint8Array;
  at: number;
  binary: boolean;
  strings: readonly string[];
};

// Which message of a session a template is: the first (a fresh writer), or any later one.
export type RepeatStage = 'first' | 'next';

// A GUID unlikely to appear in a payload, used as the MessageID of the message a template is made from.
export const MARKER_GUID = 'f0e1d2c3-b4a5-4968-8776-655443322110';

// A UniqueIdText record holds a GUID's bytes in this order of its text form's bytes (.NET's Guid layout).
const WIRE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const MARKER_BYTES = Uint8Array.from(
  WIRE_ORDER.map((i) => parseInt(MARKER_GUID.replaceAll('-', '').slice(i * 2, i * 2 + 2), 16)),
);
const MARKER_TEXT = new TextEncoder().encode(MARKER_GUID);

// Where `needle` occurs in `hay`, if it occurs exactly once.
const onlyOccurrence = (hay: Uint8Array, needle: Uint8Array): number | undefined => {
  let found: number | undefined;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    if (found !== undefined) return undefined;
    found = i;
  }
  return found;
};

// Makes a template from a request encoded with MARKER_GUID as its MessageID (urn:uuid:MARKER_GUID);
// undefined when the marker is not found exactly once.
export const templateOf = (
  bytes: Uint8Array,
  binary: boolean,
  strings: readonly string[],
): RequestTemplate | undefined => {
  const at = onlyOccurrence(bytes, binary ? MARKER_BYTES : MARKER_TEXT);
  return at === undefined ? undefined : { bytes, at, binary, strings: [...strings] };
};

// Random bytes drawn a block at a time (one call into the CSPRNG per 256 GUIDs).
const random = new Uint8Array(4096);
let used = random.length;
const random16 = (): Uint8Array => {
  if (used + 16 > random.length) {
    randomFillSync(random);
    used = 0;
  }
  const r = random.subarray(used, used + 16);
  used += 16;
  return r;
};

// A copy of the template with a fresh random GUID (version 4) as its MessageID; resolves the MessageID
// as text (urn:uuid:...), as a reply's RelatesTo reads.
export const fillTemplate = (t: RequestTemplate): { bytes: Uint8Array; messageId: string } => {
  const r = random16();
  r[6] = (r[6]! & 0x0f) | 0x40;
  r[8] = (r[8]! & 0x3f) | 0x80;
  let guid = '';
  for (let i = 0; i < 16; i++) {
    guid += HEX[r[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) guid += '-';
  }
  const bytes = t.bytes.slice();
  if (t.binary) for (let i = 0; i < 16; i++) bytes[t.at + i] = r[WIRE_ORDER[i]!]!;
  else for (let i = 0; i < 36; i++) bytes[t.at + i] = guid.charCodeAt(i);
  return { bytes, messageId: `urn:uuid:${guid}` };
};

// The templates of a load's calls, shared by the codecs of its sessions (all with the same options).
export class RepeatedRequests {
  readonly #templates = new WeakMap<object, Partial<Record<RepeatStage, RequestTemplate | null>>>();

  // The template of this call at this stage: a template, null (this call cannot be repeated), or
  // undefined (not made yet).
  get(call: object, stage: RepeatStage): RequestTemplate | null | undefined {
    return this.#templates.get(call)?.[stage];
  }

  set(call: object, stage: RepeatStage, t: RequestTemplate | null): void {
    let byStage = this.#templates.get(call);
    if (byStage === undefined) this.#templates.set(call, (byStage = {}));
    byStage[stage] = t;
  }
}
