// How one HTTP request failed, in the shape of the harness's OpFailure (kind, stage, fault, code, message).

// `http-status`: a status outside 2xx that is no SOAP fault (code: the status). `reply-fault`: a SOAP fault
// (fault: its code and subcodes, message: its reason). `corrupt`: a well-formed reply with the wrong content
// (an echo that is not what was sent). `protocol`: a reply that is not HTTP, or not the SOAP envelope
// expected. The rest are the connection's: refused, reset, closed (the server ended it with requests in
// flight), timeout, aborted (cut off when load stopped), error (any other socket error).
export type HttpFailureKind =
  | 'http-status'
  | 'reply-fault'
  | 'corrupt'
  | 'protocol'
  | 'refused'
  | 'reset'
  | 'closed'
  | 'timeout'
  | 'aborted'
  | 'error';

// Where it failed: opening the connection, or the request itself.
export type HttpStage = 'connect' | 'call';

// One failed request.
export type HttpFailure = {
  kind: HttpFailureKind;
  stage: HttpStage;
  fault?: string;
  code?: string;
  message?: string;
};

// The code autocannon's connections carry when a response does not parse as HTTP (set by the hooks).
export const HTTP_PARSE = 'HTTP_PARSE';

// A failure from a socket error.
export const failureFromError = (err: NodeJS.ErrnoException, stage: HttpStage): HttpFailure => {
  const code = err.code ?? 'UNKNOWN';
  if (code === 'ECONNREFUSED') return { kind: 'refused', stage: 'connect', code };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED')
    return { kind: 'reset', stage, code };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', stage, code };
  if (code === HTTP_PARSE || code.startsWith('HPE_'))
    return { kind: 'protocol', stage: 'call', code, message: err.message };
  return { kind: 'error', stage, code, message: err.message };
};

// One line naming a failure, for people.
export const describeHttpFailure = (f: HttpFailure): string => {
  const where = f.stage === 'connect' ? 'connecting' : 'the request';
  switch (f.kind) {
    case 'http-status':
      return `the server answered HTTP ${f.code ?? '?'}`;
    case 'reply-fault':
      return `SOAP fault ${f.fault ?? '?'}: ${f.message ?? ''}`;
    case 'corrupt':
      return `a wrong reply: ${f.message ?? ''}`;
    case 'refused':
      return 'connection refused: nothing listens on that port';
    case 'closed':
      return `the server closed the connection during ${where}`;
    case 'timeout':
      return `timed out during ${where}`;
    case 'aborted':
      return `cut off during ${where}`;
    default:
      return `${f.kind} during ${where}${f.code === undefined ? '' : ` (${f.code})`}${f.message === undefined ? '' : `: ${f.message}`}`;
  }
};
