// The framing fault URIs, by name.

export const FAULT_URI_PREFIX = 'http://schemas.microsoft.com/ws/2006/05/framing/faults/';

// Every fault a .NET framing peer sends, by the name that ends its URI.
export const FAULT_NAMES = [
  'ContentTypeInvalid',
  'ContentTypeTooLong',
  'ConnectionDispatchFailed',
  'EndpointNotFound',
  'EndpointUnavailable',
  'MaxMessageSizeExceededFault',
  'ServerTooBusy',
  'ServiceActivationFailed',
  'UnsupportedMode',
  'UnsupportedVersion',
  'UpgradeInvalid',
  'ViaTooLong',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

const byName = new Set<string>(FAULT_NAMES);

// Whether a string is one of the known fault names.
export const isFaultName = (s: string): s is FaultName => byName.has(s);

// The URI a server writes in its Fault record.
export const faultUri = (name: FaultName): string => FAULT_URI_PREFIX + name;

// The fault name of a URI, or undefined for a URI outside the framing fault namespace.
export const faultNameOf = (uri: string): FaultName | undefined => {
  if (!uri.startsWith(FAULT_URI_PREFIX)) return undefined;
  const name = uri.slice(FAULT_URI_PREFIX.length);
  return isFaultName(name) ? name : undefined;
};
