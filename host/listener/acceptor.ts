// The sharing listener's accept side, with SMSvcHost's three knobs mapped onto Node:
// - Node accepts every connection the kernel completes at once (libuv has no way to leave one in the
//   kernel queue), so the listen backlog is kept here too: accepted connections wait, unread, in a
//   queue of `listenBacklog`; one arriving at a full queue is reset, as Windows refuses a connection
//   (WSAECONNREFUSED) when a listen backlog is full. listen(2) gets the same number, which matters only
//   while the listener's event loop is blocked.
// - `maxPendingAccepts` connections are taken from the queue at once and have their preamble read.
// - `maxPendingConnections` bounds the connections taken and not yet dispatched (reading, or routed and
//   waiting for a worker); a connection taken from the queue while that many are pending is aborted
//   without a fault.

import type { Socket } from 'node:net';
import type { SharingConfig } from '../config.ts';
import { abortConnection } from '../refuse.ts';

// A taken connection reports twice: when its preamble read is over, and when it leaves the listener.
export type AcceptTicket = { readDone: () => void; left: () => void };

export type AcceptorCounts = {
  accepted: number;
  // Reset because the backlog queue was full.
  refusedBacklog: number;
  // Aborted because maxPendingConnections were pending.
  abortedPending: number;
};

export class Acceptor {
  #limits: SharingConfig;
  #take: (socket: Socket, ticket: AcceptTicket) => void;
  #onRefused: (reason: 'listenBacklog' | 'maxPendingConnections') => void;
  #queue: Socket[] = [];
  #reading = 0;
  #pending = 0;
  #accepting = true;
  #closed = false;
  readonly counts: AcceptorCounts = { accepted: 0, refusedBacklog: 0, abortedPending: 0 };

  constructor(
    limits: SharingConfig,
    take: (socket: Socket, ticket: AcceptTicket) => void,
    onRefused: (reason: 'listenBacklog' | 'maxPendingConnections') => void,
  ) {
    this.#limits = limits;
    this.#take = take;
    this.#onRefused = onRefused;
  }

  // Whether connections are still taken from the queue (false once wedged).
  get accepting(): boolean {
    return this.#accepting;
  }

  get queued(): number {
    return this.#queue.length;
  }

  get reading(): number {
    return this.#reading;
  }

  // Taken and not yet gone (reading or waiting for dispatch).
  get pending(): number {
    return this.#pending;
  }

  // A connection the kernel completed (the server's 'connection' event, with pauseOnConnect).
  offer(socket: Socket): void {
    socket.on('error', () => {});
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.counts.accepted++;
    if (this.#queue.length >= this.#limits.listenBacklog) {
      this.counts.refusedBacklog++;
      abortConnection(socket);
      this.#onRefused('listenBacklog');
      return;
    }
    this.#queue.push(socket);
    this.#pump();
  }

  // Stops taking connections from the queue for good (overlapped-recycle-race): they are accepted by
  // the kernel and never read, until the host is restarted.
  wedge(): void {
    this.#accepting = false;
  }

  // Resets what still waits in the queue; nothing is taken any more.
  close(): void {
    this.#closed = true;
    for (const s of this.#queue.splice(0)) s.destroy();
  }

  #pump(): void {
    while (this.#accepting && !this.#closed && this.#reading < this.#limits.maxPendingAccepts) {
      const socket = this.#queue.shift();
      if (socket === undefined) return;
      if (socket.destroyed) continue;
      if (this.#pending >= this.#limits.maxPendingConnections) {
        this.counts.abortedPending++;
        abortConnection(socket);
        this.#onRefused('maxPendingConnections');
        continue;
      }
      this.#reading++;
      this.#pending++;
      let read = false;
      let gone = false;
      this.#take(socket, {
        readDone: () => {
          if (read) return;
          read = true;
          this.#reading--;
          this.#pump();
        },
        left: () => {
          if (gone) return;
          gone = true;
          this.#pending--;
          this.#pump();
        },
      });
    }
  }
}
