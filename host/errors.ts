// Typed errors of the reference host: a stable code that tools match on, the cause kept.

import { CodedError } from '../protocol/index.ts';

// Stable error codes; never renumber or rename.
export const HostErrorCode = {
  // The configuration a host was started with is not a HostConfig.
  InvalidConfig: 'HOST_INVALID_CONFIG',
  // The listening socket could not be opened (port in use, bad address).
  ListenFailed: 'HOST_LISTEN_FAILED',
  // A worker failed to start or to activate its service.
  ActivationFailed: 'HOST_ACTIVATION_FAILED',
  // A control request named a path no service registers.
  UnknownPath: 'HOST_UNKNOWN_PATH',
  // A control request that is not one of the commands, or has bad fields.
  BadRequest: 'HOST_BAD_REQUEST',
  // The path is already being recycled.
  Busy: 'HOST_BUSY',
  // The command needs a running worker and the path has none.
  NoWorker: 'HOST_NO_WORKER',
  // The command acts on a path's workers, and the path forwards to an upstream instead.
  Forwarding: 'HOST_FORWARDING',
  // A worker did not answer in time (its event loop is busy, or it is gone).
  WorkerUnresponsive: 'HOST_WORKER_UNRESPONSIVE',
  // The host is shutting down or has shut down.
  Closed: 'HOST_CLOSED',
  // The host's own command line is wrong (no configuration, a bad --port).
  Usage: 'HOST_USAGE',
  // An internal rule was broken (a throttle released more often than acquired): a bug of the host.
  Internal: 'HOST_INTERNAL',
} as const;
export type HostErrorCodeValue = (typeof HostErrorCode)[keyof typeof HostErrorCode];

// The one error type the host throws and the control channel reports.
export class HostError extends CodedError<HostErrorCodeValue> {
  override name = 'HostError';

  constructor(code: HostErrorCodeValue, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

// Whether a value is a HostError (also across realms, by name and code).
export const isHostError = (e: unknown): e is HostError =>
  e instanceof HostError ||
  (e instanceof Error && e.name === 'HostError' && typeof (e as { code?: unknown }).code === 'string');
