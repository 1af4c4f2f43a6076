// The faults' error codes, and the error a fault throws when it cannot act (no process to choose, a
// command the host refused, a target that went away): recorded as the fault's error in the history,
// the run goes on. Stable values tools match on; never renumber or rename.

import { CodedError } from '../protocol/index.ts';

export const FaultErrorCode = {
  // The target has no address to connect to.
  NoAddress: 'FAULT_NO_ADDRESS',
  // No process matches the selection right now.
  NoProcess: 'FAULT_NO_PROCESS',
  // The host did not restart what was killed.
  NoRestart: 'FAULT_NO_RESTART',
  // No session could be opened to hold the throttle.
  NoSession: 'FAULT_NO_SESSION',
  // The flood's target resolves outside loopback.
  Remote: 'FAULT_REMOTE',
  // A helper process (a busy process, the proxy) did not start.
  Spawn: 'FAULT_SPAWN',
  // The network proxy cannot start, went away, or refused a request.
  NetworkProxy: 'FAULT_NETWORK_PROXY',
  // The proxy has no toxic of that name.
  ToxicNotFound: 'FAULT_TOXIC_NOT_FOUND',
  // A proxy control line that is not what the protocol allows.
  ProxyControl: 'FAULT_PROXY_CONTROL',
  // A command fault's command exited non-zero or did not finish in time.
  Command: 'FAULT_COMMAND',
} as const;
export type FaultErrorCodeValue = (typeof FaultErrorCode)[keyof typeof FaultErrorCode];

// Why a fault could not act.
export class FaultError extends CodedError<FaultErrorCodeValue> {
  override name = 'FaultError';
}
