// Typed errors of the SOAP message codec: a stable code, and the binary-XML error behind it when there is one.

import { CodedError } from '../coded-error.ts';
import { isNbfxError, type NbfxErrorCodeValue } from '../nbfx/index.ts';

// Stable error codes. Tools and reports match on the value; never renumber or rename.
export const SoapErrorCode = {
  // The binary session bytes are malformed; `nbfxCode` says how.
  Binary: 'SOAP_BINARY',
  // The text is not well-formed XML (or not UTF-8).
  Xml: 'SOAP_XML',
  // The document is not a SOAP 1.2 Envelope with a Body.
  NotEnvelope: 'SOAP_NOT_ENVELOPE',
  // A Fault without the Code/Value or Reason/Text SOAP 1.2 requires.
  BadFault: 'SOAP_BAD_FAULT',
  // A request the encoding cannot carry (a character XML forbids, a bad option).
  Unencodable: 'SOAP_UNENCODABLE',
} as const;
export type SoapErrorCodeValue = (typeof SoapErrorCode)[keyof typeof SoapErrorCode];

// The one error type the SOAP codec throws.
export class SoapError extends CodedError<SoapErrorCodeValue> {
  override name = 'SoapError';
  // The binary-XML error code, for SOAP_BINARY.
  readonly nbfxCode: NbfxErrorCodeValue | undefined;

  constructor(code: SoapErrorCodeValue, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.nbfxCode = isNbfxError(cause) ? cause.code : undefined;
  }
}

// Whether a value is a SoapError (also across realms, by name and code).
export const isSoapError = (e: unknown): e is SoapError =>
  e instanceof SoapError ||
  (e instanceof Error && e.name === 'SoapError' && typeof (e as { code?: unknown }).code === 'string');

// Runs fn, turning a binary-XML error into SOAP_BINARY; any other error passes through.
export const wrapNbfx = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (e) {
    if (isNbfxError(e)) throw new SoapError(SoapErrorCode.Binary, e.message, e);
    throw e;
  }
};
