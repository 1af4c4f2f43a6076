// A connection the listener has read a preamble from, until it leaves the listener: handed off to a
// worker, spliced to an upstream, refused with a fault, or aborted. Each way out is taken once.

import type { Socket } from 'node:net';
import { encodeRecord, type FaultName, faultUri, type Preamble } from '../../protocol/index.ts';
import { abortConnection, sendFault } from '../refuse.ts';
import { resumeReading, stopReading } from '../socket-reads.ts';

// How long the listener waits for a fault record to be written on a shared socket before closing its copy.
const WRITE_BOUND_MS = 1000;

export class Connection {
  readonly id: number;
  readonly socket: Socket;
  readonly preamble: Preamble;
  // When its preamble was read (performance.now()).
  readonly readAt = performance.now();
  #bytes: Buffer;
  #stopped = false;
  #left = false;
  #onLeave: () => void;

  constructor(id: number, socket: Socket, preamble: Preamble, bytes: Buffer, onLeave: () => void) {
    this.id = id;
    this.socket = socket;
    this.preamble = preamble;
    this.#bytes = bytes;
    this.#onLeave = onLeave;
  }

  // Whether it has left the listener.
  get left(): boolean {
    return this.#left;
  }

  // Stops the listener's reads for good and returns every byte read so far, including what Node
  // buffered since the preamble was read: from here on only the worker reads this socket.
  takeBytes(): Buffer {
    stopReading(this.socket);
    this.#stopped = true;
    const more = this.socket.read() as Buffer | null;
    if (more !== null) this.#bytes = Buffer.concat([this.#bytes, more]);
    return this.#bytes;
  }

  // The worker took it: the listener closes its copy (close(2) of one descriptor; the worker's keeps
  // the connection, so no FIN goes out).
  handedOff(): void {
    if (!this.#leave()) return;
    this.socket.destroy();
  }

  // The listener splices it to an upstream (a forwarding route): it leaves the listener's accounting but
  // the socket stays open; the splice starts reading it again (resumeReading) once it listens for data.
  forwarded(): boolean {
    return this.#leave();
  }

  // Refuses as a .NET framing server does: fault, half-close, drain, close; or a reset without a fault.
  refuse(fault: FaultName | undefined): void {
    if (!this.#leave()) return;
    if (fault === undefined) {
      abortConnection(this.socket);
      return;
    }
    // The drain reads until the client's EOF, so the listener reads again (the socket is its alone now).
    if (this.#stopped) resumeReading(this.socket);
    void sendFault(this.socket, fault);
  }

  // A hand-off failed while the worker may hold a duplicate: the fault goes out on the listener's copy,
  // which it then closes without a shutdown (a shutdown would end the shared socket for its new owner,
  // and closesocket on a duplicated Windows handle sends no FIN either).
  failHandoff(fault: FaultName): void {
    if (!this.#leave()) return;
    const s = this.socket;
    if (s.destroyed) return;
    const bound = setTimeout(() => s.destroy(), WRITE_BOUND_MS);
    s.write(encodeRecord({ type: 'fault', uri: faultUri(fault) }), () => {
      clearTimeout(bound);
      s.destroy();
    });
  }

  // The client went away (or the host is closing) before a decision.
  drop(): void {
    if (!this.#leave()) return;
    this.socket.destroy();
  }

  #leave(): boolean {
    if (this.#left) return false;
    this.#left = true;
    this.#onLeave();
    return true;
  }
}
