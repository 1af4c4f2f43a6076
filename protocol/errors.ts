// Typed framing errors: a stable code, the fault a .NET server would send, and where it happened.

import { CodedError } from './coded-error.ts';
import type { FaultName } from './faults.ts';
import type { FramingRecord } from './records.ts';

// Stable error codes. The value is what tools and reports match on; never renumber or rename.
export const FramingErrorCode = {
  // A 5-byte mbint whose last byte has any of bits 0xF8 set (.NET: FramingSizeTooLarge).
  MbintOverflow: 'NMF_MBINT_OVERFLOW',
  // A byte that starts no record; `looksLikeHttp` is set when it was 'H' or 'h'.
  UnknownRecord: 'NMF_UNKNOWN_RECORD',
  // A record that is valid on the wire but not at this point of the session.
  UnexpectedRecord: 'NMF_UNEXPECTED_RECORD',
  UnsupportedVersion: 'NMF_UNSUPPORTED_VERSION',
  UnsupportedMode: 'NMF_UNSUPPORTED_MODE',
  ViaTooLong: 'NMF_VIA_TOO_LONG',
  ViaNotUri: 'NMF_VIA_NOT_URI',
  ContentTypeTooLong: 'NMF_CONTENT_TYPE_TOO_LONG',
  ContentTypeInvalid: 'NMF_CONTENT_TYPE_INVALID',
  UpgradeInvalid: 'NMF_UPGRADE_INVALID',
  FaultTooLong: 'NMF_FAULT_TOO_LONG',
  EnvelopeTooLarge: 'NMF_ENVELOPE_TOO_LARGE',
  // The stream ended inside a record.
  PrematureEof: 'NMF_PREMATURE_EOF',
  // Input pushed after the decoder already failed or finished.
  DecoderClosed: 'NMF_DECODER_CLOSED',
} as const;
export type FramingErrorCodeValue = (typeof FramingErrorCode)[keyof typeof FramingErrorCode];

export type FramingErrorOptions = {
  // The fault a .NET server sends for this error; undefined: it aborts the connection without one.
  fault?: FaultName;
  // Offset in the stream of the byte that revealed the error.
  offset?: number;
  looksLikeHttp?: boolean;
  cause?: unknown;
};

// The one error type the codec throws for bad input.
export class FramingError extends CodedError<FramingErrorCodeValue> {
  override name = 'FramingError';
  readonly fault: FaultName | undefined;
  readonly offset: number | undefined;
  readonly looksLikeHttp: boolean;
  // Records that completed in the same push before the error; a caller handles these first.
  records: FramingRecord[] = [];

  constructor(code: FramingErrorCodeValue, message: string, options: FramingErrorOptions = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fault = options.fault;
    this.offset = options.offset;
    this.looksLikeHttp = options.looksLikeHttp ?? false;
  }
}

// Whether a value is a FramingError (also across realms, by name and code).
export const isFramingError = (e: unknown): e is FramingError =>
  e instanceof FramingError ||
  (e instanceof Error && e.name === 'FramingError' && typeof (e as { code?: unknown }).code === 'string');
