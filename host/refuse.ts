// Refusing a connection the way a .NET framing server does: Fault record, half-close, drain, close.

import type { Socket } from 'node:net';
import { encodeRecord, type FaultName, faultUri } from '../protocol/index.ts';

export type DrainBound = {
  // Stop draining after this many bytes (.NET drains up to MaxViaSize + MaxContentTypeSize).
  bytes?: number;
  // ... or after this long.
  ms?: number;
};

const DEFAULT_DRAIN = { bytes: 2048 + 256, ms: 1000 };

// Writes the fault, half-closes, reads until the client's EOF or the bound, then closes.
// Resolves when the socket is gone.
export const sendFault = (socket: Socket, fault: FaultName, bound: DrainBound = {}): Promise<void> => {
  const { bytes, ms } = { ...DEFAULT_DRAIN, ...bound };
  return new Promise((resolve) => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    let drained = 0;
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > bytes) socket.destroy();
    });
    socket.once('end', () => socket.destroy());
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => socket.destroy());
    socket.resume();
    socket.end(encodeRecord({ type: 'fault', uri: faultUri(fault) }));
  });
};

// Aborts a connection with a reset and no fault, as a server does for framing errors that carry none.
export const abortConnection = (socket: Socket): void => {
  if (socket.destroyed) return;
  if (socket.connecting || socket.pending) socket.destroy();
  else socket.resetAndDestroy();
};
