// The worker's side of hand-offs. A handed-off connection waits here until the worker can take it
// (service activated, a session slot free, calls not saturated); taking it is reported to the
// listener, which answers go (serve it) or cancel (the hand-off was abandoned meanwhile). Waiting
// here is what a busy or throttled worker does to a hand-off in SMSvcHost: the listener's
// dispatchTimeout runs until the worker takes the connection.

import type { Socket } from 'node:net';
import { stopReading } from '../socket-reads.ts';

export type IntakeOptions = {
  // Reserves a session slot if the worker can take a connection now.
  reserve(): boolean;
  // Gives back a slot reserved for a connection that will not be served.
  unreserve(): void;
  // Reports a taken hand-off to the listener.
  took(id: number): void;
  // Serves a connection on its reserved slot; `reused`: a connection kept after an earlier session.
  serve(socket: Socket, bytes: Uint8Array, reused: boolean): void;
  // leak-on-dispatch-timeout: an abandoned hand-off's socket is kept, never read nor closed.
  leak: boolean;
};

// `local`: accepted or kept by the worker itself (no listener to confirm with); `reused`: kept after a
// session ended, back with the client's next session.
type Entry = { socket: Socket; bytes: Uint8Array; local: boolean; reused: boolean; taken: boolean };

const EMPTY = new Uint8Array(0);

export class Intake {
  #opts: IntakeOptions;
  // Insertion-ordered: connections are taken in the order they were handed over.
  #entries = new Map<number, Entry>();
  #orphans = new Set<Socket>();
  #nextLocal = -1;

  constructor(options: IntakeOptions) {
    this.#opts = options;
  }

  // Hand-offs not yet served (waiting, or taken and awaiting the listener's go).
  get waiting(): number {
    return this.#entries.size;
  }

  get orphaned(): number {
    return this.#orphans.size;
  }

  // A connection handed over by the listener.
  add(id: number, socket: Socket, bytes: Uint8Array): void {
    // Node starts reading a received socket at once and would end and close it at the client's FIN; a
    // handle nobody has taken must stay as the kernel has it (CLOSE_WAIT after a FIN shows a leak).
    stopReading(socket);
    socket.allowHalfOpen = true;
    socket.on('error', () => {});
    this.#entries.set(id, { socket, bytes, local: false, reused: false, taken: false });
    this.pump();
  }

  // A connection accepted by the worker itself (the direct listener): no listener to confirm with.
  addLocal(socket: Socket): void {
    this.#entries.set(this.#nextLocal--, { socket, bytes: EMPTY, local: true, reused: false, taken: false });
    this.pump();
  }

  // A kept connection back with its next session; `bytes` were read from it already.
  addReused(socket: Socket, bytes: Uint8Array): void {
    this.#entries.set(this.#nextLocal--, { socket, bytes, local: true, reused: true, taken: false });
    this.pump();
  }

  // Closes kept connections still waiting for a slot (the worker takes nothing new).
  dropReused(): void {
    for (const [id, e] of this.#entries) {
      if (!e.reused || e.taken) continue;
      this.#entries.delete(id);
      e.socket.destroy();
    }
  }

  // Takes waiting connections, in order, while the worker can.
  pump(): void {
    for (const [id, e] of this.#entries) {
      if (e.taken) continue;
      if (!this.#opts.reserve()) return;
      e.taken = true;
      if (e.local) {
        this.#entries.delete(id);
        this.#opts.serve(e.socket, e.bytes, e.reused);
      } else {
        this.#opts.took(id);
      }
    }
  }

  // The listener confirmed a taken hand-off.
  go(id: number): void {
    const e = this.#entries.get(id);
    if (e === undefined || !e.taken) return;
    this.#entries.delete(id);
    this.#opts.serve(e.socket, e.bytes, false);
  }

  // The listener abandoned a hand-off.
  cancel(id: number): void {
    const e = this.#entries.get(id);
    if (e === undefined) return;
    this.#entries.delete(id);
    if (e.taken) this.#opts.unreserve();
    if (this.#opts.leak) {
      // The defect: the duplicated handle is nobody's now; nothing serves it and nothing closes it.
      this.#orphans.add(e.socket);
    } else {
      e.socket.destroy();
    }
  }

  // Closes every connection not yet served (activation failed, drain gave up, shutdown).
  closeAll(): void {
    for (const e of this.#entries.values()) {
      if (e.taken) this.#opts.unreserve();
      e.socket.destroy();
    }
    this.#entries.clear();
  }
}
