// Which messages a worker's session speaks, from the encoding its preamble names: the binary session
// encoding (NetTcpBinding's, 0x08) and SOAP 1.2 text in UTF-8 (0x03) speak SOAP, as a WCF service on
// those encodings does; any other content type the service accepts speaks the compact op framing
// (protocol/ops.ts, whose own content type is OPS_CONTENT_TYPE).

import { type Preamble, type SoapEncodingName } from '../../protocol/index.ts';

export type Dialect =
  | { kind: 'soap'; encoding: SoapEncodingName }
  | { kind: 'ops' }
  // SOAP 1.2 text in a charset the worker cannot read (UTF-16): refused with ContentTypeInvalid.
  | { kind: 'unreadable' };

// The media type of a content type, lower case, without parameters.
export const mediaType = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

const charsetOf = (contentType: string): string | undefined => {
  for (const part of contentType.split(';').slice(1)) {
    const [k, v] = part.split('=');
    if (k?.trim().toLowerCase() === 'charset') return v?.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return undefined;
};

// The dialect of a session whose preamble this is (its content type already accepted by the service).
export const dialectOf = (p: Pick<Preamble, 'contentType'>): Dialect => {
  const media = mediaType(p.contentType);
  if (media === 'application/soap+msbinsession1') return { kind: 'soap', encoding: 'binary-session' };
  if (media === 'application/soap+xml') {
    const charset = charsetOf(p.contentType);
    return charset === undefined || charset === 'utf-8'
      ? { kind: 'soap', encoding: 'soap12' }
      : { kind: 'unreadable' };
  }
  return { kind: 'ops' };
};
