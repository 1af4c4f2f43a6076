// MC-NMF record type bytes and the record shapes the codec reads and writes.

// Record type bytes ([MC-NMF] 2.2.3); a const object, not an enum, so Node can strip the types.
export const RecordType = {
  Version: 0x00,
  Mode: 0x01,
  Via: 0x02,
  KnownEncoding: 0x03,
  ExtensibleEncoding: 0x04,
  UnsizedEnvelope: 0x05,
  SizedEnvelope: 0x06,
  End: 0x07,
  Fault: 0x08,
  UpgradeRequest: 0x09,
  UpgradeResponse: 0x0a,
  PreambleAck: 0x0b,
  PreambleEnd: 0x0c,
} as const;

// Mode record values.
export const Mode = {
  SingletonUnsized: 0x01,
  Duplex: 0x02,
  Simplex: 0x03,
  SingletonSized: 0x04,
} as const;
export type ModeValue = (typeof Mode)[keyof typeof Mode];

// Names of the modes, for messages and reports.
export const modeName = (mode: number): string =>
  (Object.keys(Mode) as (keyof typeof Mode)[]).find((k) => Mode[k] === mode) ?? `unknown(0x${hex2(mode)})`;

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

// One decoded (or to-be-encoded) record.
export type FramingRecord =
  | { type: 'version'; major: number; minor: number }
  | { type: 'mode'; mode: number }
  | { type: 'via'; via: string }
  | { type: 'known-encoding'; encoding: number }
  | { type: 'extensible-encoding'; contentType: string }
  | { type: 'unsized-envelope'; chunks: Uint8Array[] }
  | { type: 'sized-envelope'; payload: Uint8Array }
  | { type: 'end' }
  | { type: 'fault'; uri: string }
  | { type: 'upgrade-request'; protocol: string }
  | { type: 'upgrade-response' }
  | { type: 'preamble-ack' }
  | { type: 'preamble-end' };

export type RecordKind = FramingRecord['type'];

// The type byte of each record kind.
export const typeByteOf: Record<RecordKind, number> = {
  version: RecordType.Version,
  mode: RecordType.Mode,
  via: RecordType.Via,
  'known-encoding': RecordType.KnownEncoding,
  'extensible-encoding': RecordType.ExtensibleEncoding,
  'unsized-envelope': RecordType.UnsizedEnvelope,
  'sized-envelope': RecordType.SizedEnvelope,
  end: RecordType.End,
  fault: RecordType.Fault,
  'upgrade-request': RecordType.UpgradeRequest,
  'upgrade-response': RecordType.UpgradeResponse,
  'preamble-ack': RecordType.PreambleAck,
  'preamble-end': RecordType.PreambleEnd,
};

// One-line description of a record, for probe output and logs.
export const describeRecord = (r: FramingRecord): string => {
  switch (r.type) {
    case 'version':
      return `Version ${r.major}.${r.minor}`;
    case 'mode':
      return `Mode ${modeName(r.mode)}`;
    case 'via':
      return `Via ${r.via}`;
    case 'known-encoding':
      return `KnownEncoding 0x${hex2(r.encoding)}`;
    case 'extensible-encoding':
      return `ExtensibleEncoding ${r.contentType}`;
    case 'unsized-envelope':
      return `UnsizedEnvelope ${r.chunks.reduce((n, c) => n + c.length, 0)} bytes in ${r.chunks.length} chunks`;
    case 'sized-envelope':
      return `SizedEnvelope ${r.payload.length} bytes`;
    case 'end':
      return 'End';
    case 'fault':
      return `Fault ${r.uri}`;
    case 'upgrade-request':
      return `UpgradeRequest ${r.protocol}`;
    case 'upgrade-response':
      return 'UpgradeResponse';
    case 'preamble-ack':
      return 'PreambleAck';
    case 'preamble-end':
      return 'PreambleEnd';
  }
};
