// Where a reply first differs from what was expected, as people read it: the offset and a short stretch
// of both from there (hex for bytes, text for text), for a corrupt reply's evidence.

export type Difference = { offset: number; expected: string; got: string };

// How much of each side a difference shows.
const SHOWN = 16;

const hex = (b: Uint8Array, from: number): string =>
  Buffer.from(b.subarray(from, from + SHOWN)).toString('hex') + (b.length > from + SHOWN ? '...' : '');

const text = (s: string, from: number): string =>
  JSON.stringify(s.slice(from, from + SHOWN) + (s.length > from + SHOWN ? '...' : ''));

// The first difference of two byte strings, or undefined when they are equal.
export const bytesDifference = (expected: Uint8Array, got: Uint8Array): Difference | undefined => {
  const n = Math.min(expected.length, got.length);
  let i = 0;
  while (i < n && expected[i] === got[i]) i++;
  if (i === n && expected.length === got.length) return undefined;
  return {
    offset: i,
    expected: i >= expected.length ? '(end)' : hex(expected, i),
    got: i >= got.length ? '(end)' : hex(got, i),
  };
};

// The first difference of two texts (by UTF-16 offset), or undefined when they are equal.
export const textDifference = (expected: string, got: string): Difference | undefined => {
  if (expected === got) return undefined;
  const n = Math.min(expected.length, got.length);
  let i = 0;
  while (i < n && expected.charCodeAt(i) === got.charCodeAt(i)) i++;
  return {
    offset: i,
    expected: i >= expected.length ? '(end)' : text(expected, i),
    got: i >= got.length ? '(end)' : text(got, i),
  };
};
