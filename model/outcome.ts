// Typed outcomes of a session: every result is one of these, never a thrown error. Clients produce them;
// the history, checks and reports read them.

import type { FaultName, FramingErrorCodeValue } from '../protocol/index.ts';

// Where in the session something happened.
export type Stage = 'connect' | 'preamble' | 'call' | 'end';

export type Failure =
  // The server sent a framing Fault record; `fault` is null for a URI outside the framing namespace.
  | { kind: 'fault'; stage: Stage; fault: FaultName | null; uri: string }
  | { kind: 'timeout'; stage: Stage }
  // The peer reset the connection (RST, EPIPE).
  | { kind: 'reset'; stage: Stage; code: string }
  // Nothing listens on the port.
  | { kind: 'refused'; stage: 'connect' }
  // An HTTP server answered the preamble.
  | { kind: 'not-net.tcp'; stage: 'preamble'; detail: string }
  // The peer closed cleanly (FIN) while we still expected data, without a fault.
  | { kind: 'closed'; stage: Stage }
  // The peer's bytes broke the framing rules.
  | { kind: 'protocol'; stage: Stage; code: FramingErrorCodeValue | 'NMF_UNEXPECTED_REPLY'; message: string }
  // We aborted (abort() or the caller's AbortSignal).
  | { kind: 'aborted'; stage: Stage }
  // Any other socket error (EHOSTUNREACH, ENETUNREACH, ...).
  | { kind: 'error'; stage: Stage; code: string; message: string };

export type FailureKind = Failure['kind'];

// One line naming a failure, for people.
export const describeFailure = (f: Failure): string => {
  switch (f.kind) {
    case 'fault':
      return `fault ${f.fault ?? f.uri} during ${f.stage}`;
    case 'timeout':
      return `timed out during ${f.stage}`;
    case 'reset':
      return `connection reset during ${f.stage} (${f.code})`;
    case 'refused':
      return 'connection refused: nothing listens on that port';
    case 'not-net.tcp':
      return `an HTTP server answered, not net.tcp: ${f.detail}`;
    case 'closed':
      return `the server closed the connection during ${f.stage} without a fault`;
    case 'protocol':
      return `framing error during ${f.stage}: ${f.message} (${f.code})`;
    case 'aborted':
      return `aborted during ${f.stage}`;
    case 'error':
      return `${f.code} during ${f.stage}: ${f.message}`;
  }
};
