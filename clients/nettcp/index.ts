// The net.tcp session client.

export {
  AddressError,
  NET_TCP_DEFAULT_PORT,
  type NetTcpAddress,
  type NetTcpTarget,
  parseNetTcpUrl,
  resolveNetTcpUrl,
} from './address.ts';
export {
  describeFailure,
  type Failure,
  type FailureKind,
  failureFromSocketError,
  type Stage,
} from './outcome.ts';
export { ConnectionPool, type ConnectionPoolOptions, type PoolCounts } from './pool.ts';
export {
  type CallResult,
  type Correlator,
  type EndResult,
  NetTcpSession,
  type OpenResult,
  type OpenTimings,
  openSession,
  sameTimeouts,
  type SessionOptions,
} from './session.ts';
