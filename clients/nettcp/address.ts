// net.tcp addresses: parsing, and resolving once to the IP the client dials.

import { CodedError } from '../../protocol/index.ts';
import { ClientErrorCode, type ClientErrorCodeValue } from '../errors.ts';
import { resolveHost } from '../loopback.ts';

// The default net.tcp port (WCF's).
export const NET_TCP_DEFAULT_PORT = 808;

export type NetTcpAddress = {
  // Host as written in the URL (the via keeps it).
  host: string;
  port: number;
  path: string;
  // The via the client announces: the URL as given, normalised.
  via: string;
};

// A resolved address: the IP to dial, with the via to announce.
export type NetTcpTarget = NetTcpAddress & { ip: string };

// Thrown for a string that is not a net.tcp URL.
export class AddressError extends CodedError<ClientErrorCodeValue> {
  override name = 'AddressError';
  constructor(message: string) {
    super(ClientErrorCode.Address, message);
  }
}

// Parses net.tcp://HOST[:PORT]/PATH.
export const parseNetTcpUrl = (url: string): NetTcpAddress => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AddressError(`expected a net.tcp://HOST:PORT/PATH URL, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'net.tcp:') {
    throw new AddressError(
      `expected the net.tcp scheme, got ${JSON.stringify(u.protocol.replace(/:$/, ''))} in ${url}`,
    );
  }
  if (u.hostname === '') throw new AddressError(`expected a host in ${url}`);
  const port = u.port === '' ? NET_TCP_DEFAULT_PORT : Number(u.port);
  const path = u.pathname === '' ? '/' : u.pathname;
  // Host names compare case-insensitively; the via carries them lower-cased, as .NET's Uri does.
  const host = u.hostname.toLowerCase();
  return { host, port, path, via: `net.tcp://${u.host.toLowerCase()}${path}${u.search}` };
};

// Parses and resolves a URL; non-loopback hosts are refused unless allowRemote.
export const resolveNetTcpUrl = async (url: string, allowRemote = false): Promise<NetTcpTarget> => {
  const a = parseNetTcpUrl(url);
  return { ...a, ip: await resolveHost(a.host, allowRemote) };
};
