// The known encodings of the Known Encoding record and their content types.

// Known encoding bytes.
export const KnownEncoding = {
  Soap11Utf8: 0x00,
  Soap11Utf16: 0x01,
  Soap11Utf16FFFE: 0x02,
  Soap12Utf8: 0x03,
  Soap12Utf16: 0x04,
  Soap12Utf16FFFE: 0x05,
  Mtom: 0x06,
  Binary: 0x07,
  BinarySession: 0x08,
} as const;

// Content type of each known encoding byte, as .NET spells it.
const CONTENT_TYPES: readonly string[] = [
  'text/xml; charset=utf-8',
  'text/xml; charset=utf-16',
  'text/xml; charset=unicodeFFFE',
  'application/soap+xml; charset=utf-8',
  'application/soap+xml; charset=utf-16',
  'application/soap+xml; charset=unicodeFFFE',
  'multipart/related',
  'application/soap+msbin1',
  'application/soap+msbinsession1',
];

// Content type of a known encoding byte; unknown bytes read as `unknownN` like .NET, which
// a server then refuses with ContentTypeInvalid.
export const contentTypeOf = (encoding: number): string => CONTENT_TYPES[encoding] ?? `unknown${encoding}`;

// Whether a byte names a known encoding.
export const isKnownEncoding = (encoding: number): boolean =>
  Number.isInteger(encoding) && encoding >= 0 && encoding < CONTENT_TYPES.length;

// The known encoding byte for a content type, or undefined when it must go as Extensible Encoding.
export const knownEncodingFor = (contentType: string): number | undefined => {
  const i = CONTENT_TYPES.indexOf(contentType);
  return i < 0 ? undefined : i;
};

// Short names a user may give instead of a byte or content type (CLI, suites).
export const ENCODING_ALIASES: Readonly<Record<string, number>> = {
  soap11: KnownEncoding.Soap11Utf8,
  soap12: KnownEncoding.Soap12Utf8,
  mtom: KnownEncoding.Mtom,
  binary: KnownEncoding.Binary,
  'binary-session': KnownEncoding.BinarySession,
};
