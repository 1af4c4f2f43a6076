// The clients' error codes: stable values tools match on; never renumber or rename.

export const ClientErrorCode = {
  // A string that is not a net.tcp (or http) URL the client can dial.
  Address: 'CLIENT_ADDRESS',
  // A target that resolves outside loopback while remote targets are not allowed.
  RemoteTarget: 'CLIENT_REMOTE_TARGET',
} as const;
export type ClientErrorCodeValue = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];
