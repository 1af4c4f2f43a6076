// Splits a socket's bytes into lines, with a bound: a peer that never sends a newline cannot make the
// reader hold its bytes forever.

import type { Socket } from 'node:net';

// Calls `onLine` for each complete line; `onOverflow` once if a line grows past maxBytes.
export const readLines = (
  socket: Socket,
  onLine: (line: string) => void,
  onOverflow: () => void,
  maxBytes = 1 << 20,
): void => {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') onLine(line);
      nl = buffered.indexOf('\n');
    }
    if (buffered.length > maxBytes) {
      buffered = '';
      onOverflow();
    }
  });
};
