// Size limits of the .NET framing stack, in bytes unless named otherwise.

// Largest value an mbint may carry (.NET's IntDecoder).
export const MBINT_MAX = 0x7fffffff;
// At most this many bytes encode one mbint.
export const MBINT_MAX_BYTES = 5;

// The limits a decoder enforces; every one maps to what a .NET peer does on overflow.
export type Limits = {
  // Via URI, UTF-8 bytes (ConnectionOrientedTransportDefaults.MaxViaSize); over: ViaTooLong.
  maxVia: number;
  // Extensible content type and upgrade protocol strings (MaxContentTypeSize); over: ContentTypeTooLong.
  maxContentType: number;
  // Fault URI as a client reads it (FaultStringDecoder.FaultSizeQuota).
  maxFault: number;
  // Largest envelope (maxReceivedMessageSize, 64 KiB by default); over: MaxMessageSizeExceededFault.
  maxEnvelope: number;
};

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxVia: 2048,
  maxContentType: 256,
  maxFault: 256,
  maxEnvelope: 65536,
});
