// The reference host's configuration: what a suite's `target.host` (or `nettcp-chaos host --config`)
// resolves to once validated. Times are milliseconds here; the YAML form writes durations (`10s`).

import { type Operation, OPS_CONTENT_TYPE } from '../protocol/index.ts';

// Legacy defects the host can switch on, each reproducing a known failure (off by default).
export const DEFECTS = [
  // After an overlapped recycle the listener stops processing new connections (KB 3017663).
  'overlapped-recycle-race',
  // A hand-off that timed out leaves the socket open in the worker that never learned it owns it.
  'leak-on-dispatch-timeout',
  // A pre-dispatch hook with latency runs one call at a time across the worker (KB 2907010).
  'serial-extensions',
] as const;
export type Defect = (typeof DEFECTS)[number];

// The Net.TCP Port Sharing Service's knobs (SMSvcHost.exe.config <net.tcp>).
export type SharingConfig = {
  // Kernel accept queue length (listen(2) backlog).
  listenBacklog: number;
  // Connections accepted and waiting to be dispatched to a worker; beyond it, new ones are aborted.
  maxPendingConnections: number;
  // Accepts (preamble reads) that run at once.
  maxPendingAccepts: number;
  // The preamble up to the encoding record must arrive within this.
  receiveTimeoutMs: number;
  // A hand-off to a worker must complete within this (SMSvcHost 3.0: a hard-coded minute).
  dispatchTimeoutMs: number;
};

export type ThrottleConfig = {
  // Calls dispatched at once in a worker; more queue (ServiceThrottlingBehavior.MaxConcurrentCalls).
  maxConcurrentCalls: number;
  // Sessions open at once in a worker; more wait before their Ack (MaxConcurrentSessions).
  maxConcurrentSessions: number;
};

export type ActivationConfig = {
  // on-demand: the worker starts on the first connection for its path (WAS); startup: with the host.
  mode: 'on-demand' | 'startup';
  // How long a worker takes to start and register (slow start-up of a service).
  delayMs: number;
};

export type ServiceConfig = {
  // The path the worker registers, e.g. /orders; routes match it as a prefix of the via's path.
  path: string;
  // The host name the registration is bound to, compared case-insensitively (HostNameComparisonMode
  // Exact); absent: any host (StrongWildcard, what net.tcp registrations use by default).
  host?: string;
  throttle: ThrottleConfig;
  activation: ActivationConfig;
  // Added latency per operation, on top of what the request asks for.
  operations: Partial<Record<Operation, { latencyMs: number }>>;
  // A pre-dispatch hook (authentication, message inspection) that takes this long per call.
  preDispatchHook: { latencyMs: number };
  // Content types the service accepts; others get ContentTypeInvalid. Binary session and SOAP 1.2 text
  // sessions speak SOAP, any other the compact op framing (host/worker/dialect.ts).
  contentTypes: string[];
  // Largest message accepted (maxReceivedMessageSize); larger: MaxMessageSizeExceededFault.
  maxMessageSize: number;
  // Whether recycles of this service may overlap (WAS's disallowOverlappingRotation = !overlap).
  overlappedRecycle: boolean;
  // How long a worker being replaced may drain its sessions before it is stopped (WAS's
  // shutdownTimeLimit); absent: DEFAULT_DRAIN_TIMEOUT_MS.
  drainTimeoutMs?: number;
  // Present: the path is served by an upstream net.tcp service instead of a worker (the fields above
  // are then not used): the listener connects to it, replays the bytes it read and splices both ways.
  forward?: ForwardConfig;
};

// How the Via record reaches an upstream: `pass` replays it as the client sent it (what SMSvcHost hands
// a worker); `rewrite` replaces it with the upstream's own address (the part of the client's path below
// the route's path appended), for upstreams whose paths differ or that compare the host and port.
export const FORWARD_VIA_MODES = ['pass', 'rewrite'] as const;
export type ForwardViaMode = (typeof FORWARD_VIA_MODES)[number];

export type ForwardConfig = {
  // The upstream's address, net.tcp://HOST[:PORT]/PATH (port 808 when absent, as for any net.tcp URI).
  to: string;
  via: ForwardViaMode;
  // Connecting to the upstream must succeed within this, else the client gets EndpointUnavailable.
  connectTimeoutMs: number;
};

export type HostConfig = {
  listen: { host: string; port: number };
  sharing: SharingConfig;
  services: ServiceConfig[];
  defects: Defect[];
  // The control channel's Unix socket; chosen by the host when absent.
  controlSocket?: string;
  // Whether forwarding routes may point outside loopback (absent: loopback only).
  allowRemote?: boolean;
};

// Defaults of .NET 4.x on a 1-CPU box where the docs give per-CPU values; suites should pin their own.
export const DEFAULT_SHARING: Readonly<SharingConfig> = Object.freeze({
  listenBacklog: 10,
  maxPendingConnections: 100,
  maxPendingAccepts: 2,
  receiveTimeoutMs: 30_000,
  dispatchTimeoutMs: 60_000,
});

export const DEFAULT_THROTTLE: Readonly<ThrottleConfig> = Object.freeze({
  maxConcurrentCalls: 16,
  maxConcurrentSessions: 100,
});

// WAS's shutdownTimeLimit default.
export const DEFAULT_DRAIN_TIMEOUT_MS = 90_000;

// How long a forwarding route waits for its upstream to accept a connection.
export const DEFAULT_FORWARD_CONNECT_TIMEOUT_MS = 5000;

// The content types a service accepts by default: NetTcpBinding's (SOAP in the binary session encoding)
// and the compact op framing's. SOAP 1.2 text ('application/soap+xml; charset=utf-8') is accepted when
// listed, as by a WCF endpoint with a text encoding.
export const DEFAULT_CONTENT_TYPES: readonly string[] = Object.freeze([
  'application/soap+msbinsession1',
  OPS_CONTENT_TYPE,
]);
