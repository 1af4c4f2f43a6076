// The network proxy as faults see it: where it listens, and adding and removing toxics.

import { CodedError } from '../../protocol/index.ts';
import { FaultErrorCode, type FaultErrorCodeValue } from '../errors.ts';
import type { RESULTS } from './control-protocol.ts';
import type { ToxicSpec } from './toxic-spec.ts';
import type * as z from 'zod';

// A toxic taken out of force: its counts, and whether it had expired on its own first.
export type RemovedToxic = z.output<typeof RESULTS.remove>;

// The proxy's toxics in force and its open connections.
export type ProxyListing = z.output<typeof RESULTS.list>;

// A TCP proxy the harness put in front of the target; load and probes dial it.
export type NetworkProxy = {
  // Where it listens (loopback).
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  // Where it forwards to.
  readonly target: { readonly host: string; readonly port: number };
  // Whether the proxy process is still there to talk to.
  running: () => boolean;
  addToxic: (spec: ToxicSpec) => Promise<{ name: string; applied: number }>;
  removeToxic: (name: string) => Promise<RemovedToxic>;
  list: () => Promise<ProxyListing>;
  // Stops the proxy process; connections through it are dropped. Safe to call twice.
  stop: () => Promise<void>;
};

// Thrown when the proxy cannot start, went away, or refused a request.
export class NetworkProxyError extends CodedError<FaultErrorCodeValue> {
  override name = 'NetworkProxyError';
  constructor(message: string, options?: ErrorOptions) {
    super(FaultErrorCode.NetworkProxy, message, options);
  }
}
