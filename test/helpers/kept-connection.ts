// A client connection that carries sessions one after another, as the .NET client reuses a pooled
// connection: write a session's records, read the server's records as they come, and see whether the
// server closed (FIN or reset) or kept the connection.

import { connect, type Socket } from 'node:net';
import { encodeRecords, FramingDecoder, type FramingRecord, sessionPreamble } from '../../protocol/index.ts';

export type KeptConnection = {
  socket: Socket;
  // Writes records in one write.
  send: (records: FramingRecord[]) => void;
  // The next record from the server, or how the connection ended if it ends first.
  next: (timeoutMs?: number) => Promise<FramingRecord | 'fin' | 'reset' | 'timeout'>;
  // Opens a session: the preamble, then the server's first record (PreambleAck or Fault).
  open: (via: string, encoding?: number | string) => Promise<FramingRecord | 'fin' | 'reset' | 'timeout'>;
  // Ends a session: End, then the server's End (or whatever comes instead).
  end: () => Promise<FramingRecord | 'fin' | 'reset' | 'timeout'>;
  // Resolves with how the server ended the connection: FIN, reset, or still open after `ms`.
  closedWithin: (ms: number) => Promise<'fin' | 'reset' | 'open'>;
  close: () => void;
};

// Connects to 127.0.0.1:`port`.
export const keptConnection = (port: number): Promise<KeptConnection> =>
  new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true, noDelay: true });
    const decoder = new FramingDecoder();
    const records: FramingRecord[] = [];
    let ended: 'fin' | 'reset' | undefined;
    const waiters = new Set<() => void>();
    const wake = (): void => {
      for (const w of [...waiters]) w();
    };
    socket.on('data', (c: Buffer) => {
      records.push(...decoder.push(c));
      wake();
    });
    socket.on('end', () => {
      ended ??= 'fin';
      wake();
    });
    socket.on('error', () => {
      ended = 'reset';
      wake();
    });
    socket.on('close', () => {
      ended ??= 'reset';
      wake();
    });
    const wait = <T>(ready: () => T | undefined, timeoutMs: number, late: T): Promise<T> =>
      new Promise((done) => {
        const now = ready();
        if (now !== undefined) return done(now);
        const w = (): void => {
          const r = ready();
          if (r === undefined) return;
          waiters.delete(w);
          clearTimeout(timer);
          done(r);
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          done(late);
        }, timeoutMs);
        waiters.add(w);
      });
    const next = (timeoutMs = 5000) =>
      wait<FramingRecord | 'fin' | 'reset' | 'timeout'>(
        () => (records.length > 0 ? records.shift()! : ended),
        timeoutMs,
        'timeout',
      );
    const send = (rs: FramingRecord[]): void => {
      socket.write(encodeRecords(rs));
    };
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        socket,
        send,
        next,
        open: (via, encoding = 0x08) => {
          send(sessionPreamble(via, encoding));
          return next();
        },
        end: () => {
          send([{ type: 'end' }]);
          return next();
        },
        closedWithin: (ms) => wait<'fin' | 'reset' | 'open'>(() => ended, ms, 'open'),
        close: () => socket.destroy(),
      });
    });
  });
