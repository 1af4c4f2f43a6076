// Splicing a client's connection to an upstream's, in the listener: bytes both ways through pipe() (a
// side that does not read stops the other side's reads, down to the kernel), each side's FIN passed on
// as a FIN (half-close), a reset passed on as a reset, and both sockets destroyed once both directions
// are done or either fails, so no descriptor outlives the pair.

import type { Socket } from 'node:net';

// How a spliced pair ended, with the bytes that crossed: up (client to upstream), down (back).
export type SpliceEnd = {
  // ended: FIN both ways; reset: one side reset (passed on); error: a socket error; closed: cut by us.
  how: 'ended' | 'reset' | 'error' | 'closed';
  // Which side ended it first, for anything but `ended`.
  side?: 'client' | 'upstream';
  reason?: string;
  up: number;
  down: number;
};

// A live splice.
export type Splice = {
  readonly up: number;
  readonly down: number;
  // Cuts both sides (the host is closing).
  close(): void;
};

// Once one side has closed cleanly, the other has this long to flush and close before it is cut.
const LINGER_MS = 5000;

const RESETS: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

// Joins two connected sockets (both allowHalfOpen); `onEnd` is called once, when both are closed.
// `replayed`: bytes of the client's already written to the upstream, counted in `up`.
export const splice = (
  client: Socket,
  upstream: Socket,
  onEnd: (e: SpliceEnd) => void,
  replayed = 0,
): Splice => {
  let up = replayed;
  let down = 0;
  let outcome: Omit<SpliceEnd, 'up' | 'down'> | undefined;
  let linger: NodeJS.Timeout | undefined;
  let closed = 0;

  const cut = (o: Omit<SpliceEnd, 'up' | 'down'>, reset: boolean): void => {
    outcome ??= o;
    for (const s of [client, upstream]) {
      if (s.destroyed) continue;
      if (reset && !s.connecting) s.resetAndDestroy();
      else s.destroy();
    }
  };
  const sideOf = (s: Socket): 'client' | 'upstream' => (s === client ? 'client' : 'upstream');
  const onError = (s: Socket) => (e: NodeJS.ErrnoException) => {
    const code = e.code ?? e.message;
    const reset = RESETS.has(code);
    cut({ how: reset ? 'reset' : 'error', side: sideOf(s), reason: code }, reset);
  };
  const onClose = (s: Socket) => () => {
    if (++closed === 2) {
      clearTimeout(linger);
      onEnd({ ...(outcome ?? { how: 'ended' }), up, down });
      return;
    }
    // A clean close of one side means both directions have ended; the other only has to flush.
    linger = setTimeout(
      () => cut({ how: 'closed', side: sideOf(s), reason: 'the other side did not close in time' }, false),
      LINGER_MS,
    );
  };

  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.on('error', onError(client));
  upstream.on('error', onError(upstream));
  client.once('close', onClose(client));
  upstream.once('close', onClose(upstream));
  client.on('data', (c: Buffer) => (up += c.length));
  upstream.on('data', (c: Buffer) => (down += c.length));
  // pipe() ends the destination when the source ends: the FIN goes on, the other direction stays open.
  client.pipe(upstream);
  upstream.pipe(client);
  return {
    get up() {
      return up;
    },
    get down() {
      return down;
    },
    close: () => cut({ how: 'closed', reason: 'the host is closing' }, false),
  };
};
