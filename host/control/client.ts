// A client of the control channel: one connection, requests matched to responses by id.

import { connect, type Socket } from 'node:net';
import { HostError, type HostErrorCodeValue, HostErrorCode } from '../errors.ts';
import { readLines } from './lines.ts';

type Response = { id?: unknown; ok: boolean; result?: unknown; error?: { code: string; message: string } };

export type ControlClient = {
  // Sends a request (`command` and its fields); resolves with the result, rejects with a HostError.
  request<T = unknown>(req: { command: string; [field: string]: unknown }): Promise<T>;
  close(): void;
};

// Connects to a host's control socket.
export const connectControl = async (path: string): Promise<ControlClient> => {
  const socket: Socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  const failAll = (why: string): void => {
    for (const w of waiting.values()) w.reject(new HostError(HostErrorCode.Closed, why));
    waiting.clear();
  };
  socket.on('error', (e) => failAll(`control connection failed: ${e.message}`));
  socket.on('close', () => failAll('the control connection closed'));
  readLines(
    socket,
    (line) => {
      const r = JSON.parse(line) as Response;
      const w = typeof r.id === 'number' ? waiting.get(r.id) : undefined;
      if (w === undefined) return;
      waiting.delete(r.id as number);
      if (r.ok) w.resolve(r.result);
      else
        w.reject(
          new HostError(
            (r.error?.code ?? HostErrorCode.BadRequest) as HostErrorCodeValue,
            r.error?.message ?? 'failed',
          ),
        );
    },
    () => socket.destroy(),
  );
  return {
    request: <T>(req: { command: string; [field: string]: unknown }) =>
      new Promise<T>((resolve, reject) => {
        if (socket.destroyed) {
          reject(new HostError(HostErrorCode.Closed, 'the control connection is closed'));
          return;
        }
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.write(`${JSON.stringify({ ...req, id })}\n`);
      }),
    close: () => socket.destroy(),
  };
};
