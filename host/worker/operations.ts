// The reference service's operations as the compact op framing asks for them (protocol/ops.ts): echo,
// sleep, cpu, fail; a payload that is not an operation request is echoed as it is. `sleep` and `burn` also
// carry out the SOAP contract's Delay and Burn (wcf-contract.ts).

import { decodeOpRequest, encodeOpReply, type Operation } from '../../protocol/index.ts';

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

// Keeps this thread busy for ms: a CPU spike that blocks the event loop, as a busy worker would.
export const burn = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
};

// Runs one op framing call; `latency` is the configured extra latency of an operation (0 when none).
export const runOperation = async (
  payload: Uint8Array,
  latency: (op: Operation) => number,
): Promise<Uint8Array> => {
  const req = decodeOpRequest(payload);
  if (req === undefined) {
    await sleep(latency('echo'));
    return payload;
  }
  await sleep(latency(req.op));
  switch (req.op) {
    case 'echo':
      break;
    case 'sleep':
      await sleep(req.arg);
      break;
    case 'cpu':
      burn(req.arg);
      break;
    case 'fail':
      return encodeOpReply({ id: req.id, ok: false, reason: 'the operation failed as requested' });
  }
  return encodeOpReply({ id: req.id, ok: true, payload: req.payload });
};
