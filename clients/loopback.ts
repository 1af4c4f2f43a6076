// The loopback guard: load goes only to loopback unless a suite or flag allows remote targets.

import { CodedError } from '../protocol/index.ts';
import { ClientErrorCode, type ClientErrorCodeValue } from './errors.ts';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// Whether an IP address is loopback (127.0.0.0/8, ::1, or IPv4-mapped 127.x).
export const isLoopbackIp = (ip: string): boolean => {
  const v = ip.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(v) === 4) return v.startsWith('127.');
  if (isIP(v) === 6) return v === '::1' || v === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(v);
  return false;
};

// Thrown when a target resolves outside loopback and remote targets were not allowed.
export class RemoteTargetError extends CodedError<ClientErrorCodeValue> {
  override name = 'RemoteTargetError';
  constructor(host: string, ip: string) {
    super(
      ClientErrorCode.RemoteTarget,
      `${host} resolves to ${ip}, which is not loopback; load goes only to loopback unless remote targets are allowed ` +
        '(allowRemote: true in a suite, --allow-remote on the command line)',
    );
  }
}

// Resolves a host name to one IP address, refusing non-loopback ones unless allowed.
export const resolveHost = async (host: string, allowRemote = false): Promise<string> => {
  const bare = host.replace(/^\[|\]$/g, '');
  const ip = isIP(bare) ? bare : (await lookup(bare)).address;
  if (!allowRemote && !isLoopbackIp(ip)) throw new RemoteTargetError(host, ip);
  return ip;
};
