// The MC-NMF codec: records, mbint, the streaming decoder, fault URIs and limits. Pure: no I/O.

export { type DecoderOptions, FramingDecoder } from './decoder.ts';
export { encodedSize, encodeRecord, encodeRecords, sizedEnvelopeHeader, writeRecord } from './encode.ts';
export {
  contentTypeOf,
  ENCODING_ALIASES,
  isKnownEncoding,
  KnownEncoding,
  knownEncodingFor,
} from './encodings.ts';
export { FramingError, FramingErrorCode, type FramingErrorCodeValue, isFramingError } from './errors.ts';
export {
  FAULT_NAMES,
  FAULT_URI_PREFIX,
  type FaultName,
  faultNameOf,
  faultUri,
  isFaultName,
} from './faults.ts';
export { DEFAULT_LIMITS, type Limits, MBINT_MAX, MBINT_MAX_BYTES } from './limits.ts';
export { decodeMbint, encodeMbint, MbintReader, mbintSize, writeMbint } from './mbint.ts';
export { type Preamble, PreambleReader, type PreambleStep, sessionPreamble } from './preamble.ts';
export {
  describeRecord,
  type FramingRecord,
  Mode,
  type ModeValue,
  modeName,
  type RecordKind,
  RecordType,
  typeByteOf,
} from './records.ts';
export {
  decodeOpReply,
  decodeOpRequest,
  encodeOpReply,
  encodeOpRequest,
  type OpReply,
  type OpRequest,
  type Operation,
  OPERATIONS,
  echoReply,
  opMessageId,
  OPS_CONTENT_TYPE,
  OPS_MAGIC,
} from './ops.ts';

// Binary XML ([MC-NBFX] records, [MC-NBFS] static and [MC-NBFSE] session strings) and SOAP 1.2 messages
// (binary session and text encodings, the per-session SOAP codec): see protocol/nbfx and protocol/soap.
export * from './nbfx/index.ts';
export * from './soap/index.ts';
export { CodedError, isCodedError } from './coded-error.ts';
