// Typed errors of the binary XML codec ([MC-NBFX], [MC-NBFS], [MC-NBFSE]): a stable code and the byte offset.

import { CodedError } from '../coded-error.ts';

// Stable error codes. Tools and reports match on the value; never renumber or rename.
export const NbfxErrorCode = {
  // The bytes end inside a record.
  Truncated: 'NBFX_TRUNCATED',
  // A record type byte that the format reserves (0x00, 0x78-0x7F, 0xA5, 0xA7, 0xBE-0xFF, ...).
  UnknownRecord: 'NBFX_UNKNOWN_RECORD',
  // A record that is valid on its own but not here (text at the top level, an attribute after content, ...).
  UnexpectedRecord: 'NBFX_UNEXPECTED_RECORD',
  // A MultiByteInt31 longer than 5 bytes or above 2^31-1, or a length that does not fit.
  BadLength: 'NBFX_BAD_LENGTH',
  // Bytes that are not well-formed UTF-8 or UTF-16.
  BadString: 'NBFX_BAD_STRING',
  // A field outside its allowed values (a BoolText byte other than 0 or 1, a DateTime kind of 3, ...).
  BadValue: 'NBFX_BAD_VALUE',
  // A DictionaryString id that neither the static table nor the session's strings define.
  UnknownDictionaryString: 'NBFX_UNKNOWN_DICTIONARY_STRING',
  // An EndElement with no element open, an element left open at the end, or a second root.
  Unbalanced: 'NBFX_UNBALANCED',
  // A prefix with no namespace declared for it.
  UndeclaredPrefix: 'NBFX_UNDECLARED_PREFIX',
  // Elements nested deeper than the reader allows.
  TooDeep: 'NBFX_TOO_DEEP',
  // A session string table that would grow past the reader's quota.
  SessionQuota: 'NBFX_SESSION_QUOTA',
  // The writer was given something the format cannot carry (a prefix that is not a name, ...).
  Unencodable: 'NBFX_UNENCODABLE',
} as const;
export type NbfxErrorCodeValue = (typeof NbfxErrorCode)[keyof typeof NbfxErrorCode];

// The one error type the binary XML codec throws for bad input.
export class NbfxError extends CodedError<NbfxErrorCodeValue> {
  override name = 'NbfxError';
  // Offset of the byte that revealed the error, within the bytes given to the reader.
  readonly offset: number | undefined;

  constructor(code: NbfxErrorCodeValue, message: string, offset?: number) {
    super(code, offset === undefined ? message : `${message} at byte ${offset}`);
    this.offset = offset;
  }
}

// Whether a value is an NbfxError (also across realms, by name and code).
export const isNbfxError = (e: unknown): e is NbfxError =>
  e instanceof NbfxError ||
  (e instanceof Error && e.name === 'NbfxError' && typeof (e as { code?: unknown }).code === 'string');
