// Typed outcomes of a net.tcp session (the shared vocabulary is in model/outcome.ts), and what a socket
// error means at a stage.

import type { Failure, Stage } from '../../model/outcome.ts';

export { describeFailure, type Failure, type FailureKind, type Stage } from '../../model/outcome.ts';

// The failure a socket error means at a stage.
export const failureFromSocketError = (err: NodeJS.ErrnoException, stage: Stage): Failure => {
  const code = err.code ?? 'UNKNOWN';
  if (code === 'ECONNREFUSED') return { kind: 'refused', stage: 'connect' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED')
    return { kind: 'reset', stage, code };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', stage };
  return { kind: 'error', stage, code, message: err.message };
};
