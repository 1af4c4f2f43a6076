// How the typed text records read as characters, following what .NET's binary reader gives for them
// (XmlConvert's forms) where that differs from the prose of [MC-NBFX].

import { NbfxError, NbfxErrorCode } from './errors.ts';
import type { NbfxText } from './records.ts';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

// A GUID's text form from its 16 bytes (Data1-3 little-endian, Data4 in order).
export const guidFromBytes = (b: Uint8Array): string => {
  const h = (i: number): string => hex2(b[i]!);
  return (
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Whether a string is a GUID in the lower-case form a UuidText record reads back as.
export const isGuidText = (s: string): boolean => GUID.test(s);

// The 16 bytes of a GUID written in its text form.
export const guidToBytes = (guid: string): Uint8Array => {
  if (!isGuidText(guid)) throw new NbfxError(NbfxErrorCode.Unencodable, `not a lower-case GUID: ${guid}`);
  const h = guid.replaceAll('-', '');
  const at = (i: number): number => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order.map(at));
};

// The float64 whose shortest form has the shortest digits that read back as this float32 (JS gives shortest
// digits for float64 only).
const float32Shortest = (v: number): number => {
  for (let p = 1; p <= 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) return n;
  }
  /* c8 ignore next */
  return v;
};

// .NET's round-trip form: the shortest digits, fixed notation while the decimal point falls within 17
// digits (9 for float) and no more than 3 zeros follow it, else d.dddE+XX; INF, -INF, NaN and -0 spelled
// out. Checked against .NET's own binary reader (test/interop/nbfx-oracle.test.ts).
const realText = (v: number, single: boolean): string => {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = (single ? float32Shortest(v) : v).toExponential().split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(e);
  const point = exp + 1;
  if (point > (single ? 9 : 17) || point < -3) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${rest}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
};

// A DECIMAL's digits with its scale (.NET keeps the scale's trailing zeros: 1.50m reads "1.50").
const decimalText = (b: Uint8Array): string => {
  const view = new DataView(b.buffer, b.byteOffset, 16);
  const scale = b[2]!;
  const negative = b[3] === 0x80;
  const hi = BigInt(view.getUint32(4, true));
  const lo = view.getBigUint64(8, true);
  let digits = ((hi << 64n) | lo).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
};

const TICKS_PER_MS = 10000n;
// Milliseconds from 0001-01-01 to 1970-01-01.
const EPOCH_OFFSET_MS = 62135596800000n;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

// yyyy-MM-ddTHH:mm:ss[.fffffff][Z|+HH:mm], the fraction without trailing zeros, as XmlConvert writes it.
const dateTimeText = (raw: bigint): string => {
  const kind = Number(raw >> 62n);
  const ticks = raw & ((1n << 62n) - 1n);
  const ms = ticks / TICKS_PER_MS - EPOCH_OFFSET_MS;
  const d = new Date(Number(ms));
  const frac = (ticks % 10000000n).toString().padStart(7, '0').replace(/0+$/, '');
  let s =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (frac !== '') s += `.${frac}`;
  if (kind === 1) return `${s}Z`;
  if (kind === 2) {
    // Local time: the offset of the reading machine at that instant, as the format says.
    const off = -new Date(Number(ms)).getTimezoneOffset();
    const a = Math.abs(off);
    return `${s}${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  }
  return s;
};

// An xsd:duration (PnDTnHnMn.nS) as XmlConvert writes a TimeSpan: -PT5M44S, PT3H20M, PT0S.
const timeSpanText = (ticks: bigint): string => {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = t % 10000000n;
  t /= 10000000n;
  const sec = t % 60n;
  t /= 60n;
  const min = t % 60n;
  t /= 60n;
  const hours = t % 24n;
  const days = t / 24n;
  let s = neg ? '-P' : 'P';
  if (days > 0n) s += `${days}D`;
  if (hours > 0n || min > 0n || sec > 0n || frac > 0n) {
    s += 'T';
    if (hours > 0n) s += `${hours}H`;
    if (min > 0n) s += `${min}M`;
    if (sec > 0n || frac > 0n) {
      s += String(sec);
      if (frac > 0n) s += `.${frac.toString().padStart(7, '0').replace(/0+$/, '')}`;
      s += 'S';
    }
  }
  return s === 'P' || s === '-P' ? 'PT0S' : s;
};

const base64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

// The characters a text record stands for; `resolve` maps DictionaryString ids to strings.
export const textToString = (x: NbfxText, resolve: (id: number) => string): string => {
  switch (x.t) {
    case 'zero':
      return '0';
    case 'one':
      return '1';
    case 'false':
      return 'false';
    case 'true':
      return 'true';
    case 'empty':
      return '';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint64':
      return String(x.v);
    case 'float':
      return realText(x.v, true);
    case 'double':
      return realText(x.v, false);
    case 'decimal':
      return decimalText(x.bytes);
    case 'datetime':
      return dateTimeText(x.v);
    case 'timespan':
      return timeSpanText(x.v);
    case 'chars8':
    case 'chars16':
    case 'chars32':
    case 'unicode8':
    case 'unicode16':
    case 'unicode32':
      return x.v;
    case 'bytes8':
    case 'bytes16':
    case 'bytes32':
      return base64(x.v);
    case 'bool':
      return x.v ? 'true' : 'false';
    case 'uuid':
      return x.v;
    case 'unique-id':
      return `urn:uuid:${x.v}`;
    case 'dict':
      return resolve(x.id);
    case 'qname':
      return `${x.prefix}:${resolve(x.id)}`;
    case 'list':
      return x.items.map((i) => textToString(i, resolve)).join(' ');
  }
};
